// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-microcosm-pubsub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MicrocosmJSON", targets: ["MicrocosmJSON"]),
        .library(name: "Microcosm", targets: ["Microcosm"]),
        .library(name: "MicrocosmAWS", targets: ["MicrocosmAWS"]),
        .library(name: "MicrocosmInMemoryBroker", targets: ["MicrocosmInMemoryBroker"]),
        .library(name: "MicrocosmMetrics", targets: ["MicrocosmMetrics"]),
        .library(name: "MicrocosmPubSub", targets: ["MicrocosmPubSub"]),
        .library(name: "MicrocosmPubSubDaemon", targets: ["MicrocosmPubSubDaemon"]),
        .library(name: "MicrocosmPubSubTesting", targets: ["MicrocosmPubSubTesting"]),
        .executable(name: "pubsub-bench", targets: ["pubsub-bench"]),
        .executable(name: "pubsub-noop-daemon", targets: ["pubsub-noop-daemon"]),
        .executable(name: "pubsub-noop-producer", targets: ["pubsub-noop-producer"]),
        .executable(name: "sns-produce", targets: ["sns-produce"]),
        .executable(name: "sqs-consume", targets: ["sqs-consume"]),
        .executable(name: "simple-daemon", targets: ["simple-daemon"]),
        .executable(name: "pubsub", targets: ["pubsub"]),
    ],
    targets: [
        // MicrocosmJSON <- Microcosm <- MicrocosmAWS <- MicrocosmInMemoryBroker <- MicrocosmPubSub <- MicrocosmPubSubDaemon <- MicrocosmPubSubTesting
        .target(name: "MicrocosmJSON"),
        .target(name: "Microcosm", dependencies: ["MicrocosmJSON"]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CSHA256"),
        .target(name: "MicrocosmAWS", dependencies: ["MicrocosmJSON", "Microcosm", "CCurl", "CSHA256"]),
        .target(name: "MicrocosmInMemoryBroker", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS"]),
        .target(name: "MicrocosmMetrics", dependencies: ["Microcosm"]),
        .target(name: "MicrocosmPubSub", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmMetrics"]),
        .target(name: "MicrocosmPubSubDaemon", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub"]),
        .target(name: "MicrocosmPubSubTesting", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmPubSubDaemon"]),
        .executableTarget(name: "pubsub-bench", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmPubSubDaemon"]),
        // The programs daemon-cpu and produce-cpu measure, linked as README's introduction advises for a deployed
        // daemon (see `deployedLinking` below).
        .executableTarget(name: "pubsub-noop-daemon", dependencies: ["MicrocosmPubSub", "MicrocosmPubSubDaemon"],
                          exclude: ["StaticLibstdcxx"], swiftSettings: deployedSwiftSettings, linkerSettings: deployedLinking),
        .executableTarget(name: "pubsub-noop-producer", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub"],
                          swiftSettings: deployedSwiftSettings, linkerSettings: deployedLinking),
        .target(name: "PubSubCLI", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmPubSubDaemon", "SimpleDaemon"]),
        .executableTarget(name: "sns-produce", dependencies: ["PubSubCLI"]),
        .executableTarget(name: "sqs-consume", dependencies: ["PubSubCLI"]),
        .target(name: "SimpleDaemon", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmPubSubDaemon"]),
        .executableTarget(name: "simple-daemon", dependencies: ["SimpleDaemon"]),
        .target(name: "PubSubDemo", dependencies: ["MicrocosmJSON", "Microcosm", "MicrocosmAWS", "MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmPubSubDaemon", "PubSubCLI"]),
        .executableTarget(name: "pubsub", dependencies: ["PubSubDemo"]),

        .target(name: "AWSTestSupport", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmJSON"], path: "Tests/AWSTestSupport"),
        .testTarget(name: "MicrocosmJSONTests", dependencies: ["MicrocosmJSON"]),
        .testTarget(name: "MicrocosmTests", dependencies: ["Microcosm", "MicrocosmJSON"]),
        .testTarget(name: "MicrocosmAWSTests", dependencies: ["MicrocosmAWS", "AWSTestSupport", "MicrocosmJSON"]),
        .testTarget(name: "MicrocosmMetricsTests", dependencies: ["MicrocosmMetrics", "AWSTestSupport", "MicrocosmJSON"]),
        .testTarget(name: "MicrocosmPubSubTests", dependencies: ["MicrocosmPubSub", "MicrocosmInMemoryBroker", "MicrocosmJSON", "AWSTestSupport"]),
        .testTarget(name: "InMemoryBrokerTests", dependencies: ["MicrocosmInMemoryBroker", "MicrocosmPubSub", "MicrocosmJSON", "AWSTestSupport"]),
        .testTarget(name: "MicrocosmPubSubTestingTests", dependencies: ["MicrocosmPubSubTesting", "MicrocosmPubSubDaemon", "MicrocosmInMemoryBroker", "MicrocosmJSON"]),
        .testTarget(name: "PubSubCLITests", dependencies: ["PubSubCLI", "SimpleDaemon", "Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "AWSTestSupport", "MicrocosmJSON", "MicrocosmInMemoryBroker", "MicrocosmPubSubDaemon"]),
        .testTarget(name: "ConsumerDaemonTests", dependencies: ["MicrocosmPubSubDaemon", "MicrocosmPubSub", "MicrocosmInMemoryBroker", "MicrocosmJSON", "SimpleDaemon", "AWSTestSupport"]),
        .target(name: "Logging", path: "Tests/SwiftLogStub"),   // swift-log's API for the README's recipe; ReadmeTests only
        .testTarget(name: "ReadmeTests", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmMetrics", "MicrocosmPubSub", "MicrocosmPubSubTesting", "Logging", "MicrocosmJSON", "MicrocosmInMemoryBroker", "MicrocosmPubSubDaemon"]),
        .testTarget(name: "PubSubDemoTests", dependencies: ["PubSubDemo", "PubSubCLI", "Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "AWSTestSupport", "MicrocosmJSON", "MicrocosmInMemoryBroker", "MicrocosmPubSubDaemon"]),
    ],
    swiftLanguageModes: [.v6]
)

// The Swift runtime static, lld packing the relative relocations (DT_RELR: glibc 2.36 or later at run time), no dynamic
// symbol table of our own code (the crash backtracer reads the file's symbol table), and libstdc++ static (see
// Sources/pubsub-noop-daemon/StaticLibstdcxx/libstdc++.so, a linker script found first by -static-stdlib's -lstdc++).
var deployedSwiftSettings: [SwiftSetting] { [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))] }
var deployedLinking: [LinkerSetting] {
    [.unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
                   "-L", Context.packageDirectory + "/Sources/pubsub-noop-daemon/StaticLibstdcxx"], .when(platforms: [.linux]))]
}
