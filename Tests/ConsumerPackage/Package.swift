// swift-tools-version: 6.0
// A package that uses swift-streaming as a user's would, built by scripts/check-consumer.sh
// next to a checkout named `swift-streaming` (the package name `.package(path:)` derives).
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(path: "../swift-streaming")],
    targets: [
        // Tutorial 002's top authors, written as the docs show.
        .executableTarget(
            name: "tutorial-002-authors",
            dependencies: [.product(name: "StreamCore", package: "swift-streaming")]
        ),
        // Must not compile: a foreachBatch closure that mutates a main-actor variable.
        .executableTarget(
            name: "RaceCheck",
            dependencies: [.product(name: "StreamCore", package: "swift-streaming")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
