// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Examples",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-microcosm-pubsub", path: "..")],
    targets: [
        .target(name: "Orders", dependencies: [
            .product(name: "Microcosm", package: "swift-microcosm-pubsub"),
            .product(name: "MicrocosmPubSub", package: "swift-microcosm-pubsub"),
            .product(name: "MicrocosmPubSubDaemon", package: "swift-microcosm-pubsub"),
        ]),
        .executableTarget(name: "orders-daemon", dependencies: ["Orders"]),
        .testTarget(name: "OrdersTests", dependencies: [
            "Orders",
            .product(name: "MicrocosmJSON", package: "swift-microcosm-pubsub"),
            .product(name: "MicrocosmPubSubDaemon", package: "swift-microcosm-pubsub"),
            .product(name: "MicrocosmPubSubTesting", package: "swift-microcosm-pubsub"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
