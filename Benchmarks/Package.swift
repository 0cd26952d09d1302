// swift-tools-version: 6.1
import PackageDescription

/// Parser benchmarks, kept out of the root package so `swift test` never builds them.
/// Run from this folder: `swift package benchmark` (see BENCHMARKS.md at the root).
let package = Package(
    name: "PocGateBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PocGate", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Read the same malloc counters ordo-one reports, to give mallocs per frame directly.
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        .executableTarget(
            name: "ParserBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FrameParsing", package: "PocGate"),
                .product(name: "DeviceProfiles", package: "PocGate"),
                .product(name: "Sessions", package: "PocGate"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            path: "Benchmarks/ParserBenchmarks",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
