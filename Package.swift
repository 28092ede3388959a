// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-microcosm-pubsub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Microcosm", targets: ["Microcosm"]),
    ],
    targets: [
        .target(name: "Microcosm"),
        .testTarget(name: "MicrocosmTests", dependencies: ["Microcosm"]),
    ],
    swiftLanguageModes: [.v6]
)
