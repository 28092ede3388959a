// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-microcosm-pubsub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Microcosm", targets: ["Microcosm"]),
        .library(name: "MicrocosmAWS", targets: ["MicrocosmAWS"]),
        .library(name: "MicrocosmMetrics", targets: ["MicrocosmMetrics"]),
        .library(name: "MicrocosmPubSub", targets: ["MicrocosmPubSub"]),
        .library(name: "MicrocosmPubSubTesting", targets: ["MicrocosmPubSubTesting"]),
        .executable(name: "pubsub-bench", targets: ["pubsub-bench"]),
        .executable(name: "sns-produce", targets: ["sns-produce"]),
        .executable(name: "sqs-consume", targets: ["sqs-consume"]),
        .executable(name: "simple-daemon", targets: ["simple-daemon"]),
        .executable(name: "pubsub", targets: ["pubsub"]),
    ],
    targets: [
        .target(name: "Microcosm"),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CSHA256"),
        .target(name: "MicrocosmAWS", dependencies: ["Microcosm", "CCurl", "CSHA256"]),
        .target(name: "MicrocosmMetrics", dependencies: ["Microcosm"]),
        .target(name: "MicrocosmPubSub", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmMetrics"]),
        .target(name: "MicrocosmPubSubTesting", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub"]),
        .executableTarget(name: "pubsub-bench", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub"]),
        .target(name: "PubSubCLI", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "SimpleDaemon"]),
        .executableTarget(name: "sns-produce", dependencies: ["PubSubCLI"]),
        .executableTarget(name: "sqs-consume", dependencies: ["PubSubCLI"]),
        .target(name: "SimpleDaemon", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub"]),
        .executableTarget(name: "simple-daemon", dependencies: ["SimpleDaemon"]),
        .target(name: "PubSubDemo", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "PubSubCLI"]),
        .executableTarget(name: "pubsub", dependencies: ["PubSubDemo"]),

        .target(name: "AWSTestSupport", dependencies: ["Microcosm", "MicrocosmAWS"], path: "Tests/AWSTestSupport"),
        .testTarget(name: "MicrocosmTests", dependencies: ["Microcosm"]),
        .testTarget(name: "MicrocosmAWSTests", dependencies: ["MicrocosmAWS", "AWSTestSupport"]),
        .testTarget(name: "MicrocosmMetricsTests", dependencies: ["MicrocosmMetrics", "AWSTestSupport"]),
        .testTarget(name: "MicrocosmPubSubTests", dependencies: ["MicrocosmPubSub", "AWSTestSupport"]),
        .testTarget(name: "InMemoryBrokerTests", dependencies: ["MicrocosmPubSub", "AWSTestSupport"]),
        .testTarget(name: "MicrocosmPubSubTestingTests", dependencies: ["MicrocosmPubSubTesting"]),
        .testTarget(name: "PubSubCLITests", dependencies: ["PubSubCLI", "SimpleDaemon", "Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "AWSTestSupport"]),
        .testTarget(name: "ConsumerDaemonTests", dependencies: ["MicrocosmPubSub", "SimpleDaemon", "AWSTestSupport"]),
        .target(name: "Logging", path: "Tests/SwiftLogStub"),   // swift-log's API for the README's recipe; ReadmeTests only
        .testTarget(name: "ReadmeTests", dependencies: ["Microcosm", "MicrocosmAWS", "MicrocosmMetrics", "MicrocosmPubSub", "MicrocosmPubSubTesting", "Logging"]),
        .testTarget(name: "PubSubDemoTests", dependencies: ["PubSubDemo", "PubSubCLI", "Microcosm", "MicrocosmAWS", "MicrocosmPubSub", "AWSTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
