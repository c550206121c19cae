// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "swift-streaming",
    // Supported: Linux (Debian 12, Ubuntu 22.04 and later), where it is built and tested. Parts use Glibc-only calls
    // (MSG_NOSIGNAL, /proc/self/exe); macOS 14 is named only so that the manifest resolves there.
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "StreamCore", targets: ["StreamCore"]),
        .library(name: "KafkaSource", targets: ["KafkaSource"]),
        .library(name: "TwitterSource", targets: ["TwitterSource"]),
        .library(name: "Sentiment", targets: ["Sentiment"]),
        .library(name: "StreamDashboard", targets: ["StreamDashboard"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "DeltaLake", targets: ["DeltaLake"]),
        .executable(name: "network-wordcount", targets: ["network-wordcount"]),
        .executable(name: "hashtag-top10", targets: ["hashtag-top10"]),
        .executable(name: "line-server", targets: ["line-server"]),
        .executable(name: "dstream-bench", targets: ["dstream-bench"]),
        .executable(name: "kafka-wordcount", targets: ["kafka-wordcount"]),
        .executable(name: "kafka-produce", targets: ["kafka-produce"]),
        .executable(name: "kafka-embedded-broker", targets: ["kafka-embedded-broker"]),
        .executable(name: "kafka-bench", targets: ["kafka-bench"]),
        .executable(name: "twitter-emulator", targets: ["twitter-emulator"]),
        .executable(name: "tweet-analytics", targets: ["tweet-analytics"]),
        .executable(name: "tweet-router", targets: ["tweet-router"]),
        .executable(name: "tweet-sentiment", targets: ["tweet-sentiment"]),
        .executable(name: "sentiment-bench", targets: ["sentiment-bench"]),
        .executable(name: "tweet-gen", targets: ["tweet-gen"]),
        .executable(name: "twitter-to-kafka", targets: ["twitter-to-kafka"]),
        .executable(name: "twitter-to-socket", targets: ["twitter-to-socket"]),
        .executable(name: "tweet-dashboard", targets: ["tweet-dashboard"]),
        .executable(name: "dashboard-bench", targets: ["dashboard-bench"]),
        .executable(name: "parquet-bench", targets: ["parquet-bench"]),
        .executable(name: "lake", targets: ["lake"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // Serves StreamDashboard's page, its event stream and its SQL endpoint.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // `swift package generate-documentation --target StreamCore` (DocC); not linked into anything.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // The engine: DStream graph, scheduler, state, windows, checkpoints, core sources and sinks.
        .target(
            name: "StreamCore",
            dependencies: [
                "Locking",
                "CPrefetch",
                "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // A cache prefetch hint for StreamCore's hash tables (a static inline C function).
        .target(name: "CPrefetch"),
        // glibc's malloc settings, so a context keeps the memory its batches free (mallopt).
        .target(name: "CMalloc"),

        // C libraries, seen only by the module that wraps each of them.
        .systemLibrary(
            name: "CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "KafkaSource", dependencies: ["Locking", "StreamCore", "CRdKafka"]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "TwitterSource",
            dependencies: ["Locking", "StreamCore", "CCurl", .product(name: "Metrics", package: "swift-metrics")]
        ),
        // VADER sentiment scoring; its lexicon ships as resources (MIT, see Resources/PROVENANCE.md).
        .target(name: "Sentiment", resources: [.copy("Resources")]),
        // A live page for any pipeline: charts over Server-Sent Events, and SQL over the latest
        // batches (temp views in an in-memory SQLite).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "StreamDashboard",
            dependencies: [
                "Locking",
                "StreamCore", "CSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // Parquet files (our writer; zlib for gzip) and Delta tables over them.
        .target(name: "Parquet", dependencies: ["CZlib"]),
        .target(name: "DeltaLake", dependencies: ["Locking", "Parquet"]),
        // The X API stand-in: served by `twitter-emulator`, started in-process by tests.
        .target(name: "TwitterEmulator", dependencies: ["Locking", "CZlib", "LoopbackSockets"]),
        // Listening sockets for the loopback servers of examples and tests.
        .target(name: "LoopbackSockets"),
        // The lock every module shares state with (one the Thread Sanitizer sees).
        .target(name: "Locking"),

        // Runnable tutorials. `TutorialPipelines` holds the pipelines so tests run them too.
        .target(
            name: "TutorialPipelines",
            dependencies: ["StreamCore"],
            path: "Sources/Examples/TutorialPipelines"
        ),
        // Tutorial 002 and its router over JSON tweets.
        .target(
            name: "TweetPipelines",
            dependencies: ["StreamCore", "TwitterSource", "KafkaSource", "Sentiment"],
            path: "Sources/Examples/TweetPipelines"
        ),
        .target(
            name: "ExampleSupport",
            dependencies: [
                "Locking",
                "StreamCore", "LoopbackSockets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Examples/ExampleSupport"
        ),
        .executableTarget(
            name: "network-wordcount",
            dependencies: ["StreamCore", "TutorialPipelines", "ExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/network-wordcount"
        ),
        .executableTarget(
            name: "hashtag-top10",
            dependencies: ["StreamCore", "TutorialPipelines", "ExampleSupport", "StreamDashboard",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/hashtag-top10"
        ),
        .executableTarget(
            name: "line-server",
            dependencies: ["ExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/line-server"
        ),
        // The C loop `dstream-bench --end-to-end` measures the programs against.
        .target(name: "CWordCount", path: "Sources/Examples/CWordCount"),
        .executableTarget(
            name: "dstream-bench",
            dependencies: ["Locking", "StreamCore", "ExampleSupport", "TutorialPipelines", "CWordCount",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/dstream-bench"
        ),

        .target(name: "StreamTestSupport", dependencies: ["StreamCore"], path: "Tests/StreamTestSupport"),
        .target(
            name: "KafkaExampleSupport",
            dependencies: ["Locking", "KafkaSource", "ExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/KafkaExampleSupport"
        ),
        .executableTarget(
            name: "kafka-wordcount",
            dependencies: ["Locking", "StreamCore", "KafkaSource", "TutorialPipelines", "ExampleSupport", "KafkaExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/kafka-wordcount"
        ),
        .executableTarget(
            name: "kafka-produce",
            dependencies: ["KafkaSource", "ExampleSupport", "KafkaExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/kafka-produce"
        ),
        .executableTarget(
            name: "kafka-embedded-broker",
            dependencies: ["KafkaSource", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/kafka-embedded-broker"
        ),

        .executableTarget(
            name: "kafka-bench",
            dependencies: ["Locking", "StreamCore", "KafkaSource", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/kafka-bench"
        ),
        .target(
            name: "TwitterExampleSupport",
            dependencies: ["StreamCore", "TwitterSource", "TwitterEmulator", "KafkaSource", "TutorialPipelines", "ExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/TwitterExampleSupport"
        ),
        .executableTarget(
            name: "tweet-analytics",
            dependencies: ["StreamCore", "TweetPipelines", "TwitterEmulator", "ExampleSupport", "KafkaExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/tweet-analytics"
        ),
        .executableTarget(
            name: "tweet-sentiment",
            dependencies: ["StreamCore", "TweetPipelines", "TwitterEmulator", "ExampleSupport", "KafkaExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/tweet-sentiment"
        ),
        .executableTarget(
            name: "sentiment-bench",
            dependencies: ["Sentiment", "TwitterSource", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/sentiment-bench"
        ),
        .executableTarget(
            name: "tweet-router",
            dependencies: ["StreamCore", "KafkaSource", "TweetPipelines", "TwitterEmulator", "ExampleSupport", "KafkaExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/tweet-router"
        ),
        .executableTarget(
            name: "twitter-emulator",
            dependencies: ["TwitterEmulator", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/twitter-emulator"
        ),
        .executableTarget(
            name: "tweet-gen",
            dependencies: ["TwitterEmulator", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/tweet-gen"
        ),
        .executableTarget(
            name: "twitter-to-kafka",
            dependencies: ["StreamCore", "KafkaSource", "TwitterSource", "TutorialPipelines", "KafkaExampleSupport", "ExampleSupport",
                           "TwitterExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/twitter-to-kafka"
        ),
        // The tutorials' charts on one page, and the dashboard's benchmark.
        .target(
            name: "DashboardPipelines",
            dependencies: ["Locking", "StreamCore", "StreamDashboard", "TweetPipelines", "TutorialPipelines", "TwitterEmulator"],
            path: "Sources/Examples/DashboardPipelines"
        ),
        // Tutorial 003's data lake.
        .target(
            name: "LakePipelines",
            dependencies: ["StreamCore", "TwitterSource", "Parquet", "DeltaLake", "Sentiment"],
            path: "Sources/Examples/LakePipelines"
        ),
        .executableTarget(
            name: "lake",
            dependencies: ["StreamCore", "TwitterSource", "TwitterEmulator", "KafkaSource", "Parquet", "DeltaLake", "LakePipelines",
                           "TutorialPipelines", "ExampleSupport", "KafkaExampleSupport", "TwitterExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/lake"
        ),
        .executableTarget(
            name: "parquet-bench",
            dependencies: ["Parquet", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/parquet-bench"
        ),
        .executableTarget(
            name: "tweet-dashboard",
            dependencies: ["StreamCore", "StreamDashboard", "DashboardPipelines", "ExampleSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/tweet-dashboard"
        ),
        .executableTarget(
            name: "dashboard-bench",
            dependencies: ["Locking", "StreamCore", "StreamDashboard", "DashboardPipelines",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/dashboard-bench"
        ),
        .executableTarget(
            name: "twitter-to-socket",
            dependencies: ["TwitterSource", "ExampleSupport", "TwitterExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/twitter-to-socket"
        ),

        .testTarget(
            name: "StreamCoreTests",
            dependencies: ["StreamCore", "TutorialPipelines", "ExampleSupport", "StreamTestSupport", "LoopbackSockets", "Locking"],
            resources: [.copy("Golden")]
        ),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "DeltaLake", "StreamTestSupport"]),
        .testTarget(name: "StreamDashboardTests", dependencies: ["StreamDashboard", "StreamCore"]),
        .testTarget(name: "KafkaSourceTests", dependencies: ["KafkaSource", "StreamCore", "StreamTestSupport"]),
        .testTarget(name: "TwitterSourceTests", dependencies: ["TwitterSource", "TwitterEmulator", "StreamCore", "StreamTestSupport"]),
        .testTarget(
            name: "TweetPipelineTests",
            dependencies: ["TweetPipelines", "TwitterSource", "KafkaSource", "StreamCore", "StreamTestSupport"],
            resources: [.copy("Golden")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
