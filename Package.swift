// swift-tools-version: 6.1
import PackageDescription

/// One set of strict settings for every Swift target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PocGate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pocgate", targets: ["pocgate"]),
        // For the separate benchmark package in Benchmarks/, which depends on this one by path.
        .library(name: "FrameParsing", targets: ["FrameParsing"]),
        // The whole-path benchmarks load the shipped profiles (analyte tables, charsets, models).
        .library(name: "DeviceProfiles", targets: ["DeviceProfiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // zlib for gzip request bodies (libcurl only decompresses answers, it cannot compress requests).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The kernel's clock-synchronisation state (adjtimex), for `pocgate check`; libc only.
        .systemLibrary(name: "CTimex"),

        // The domain: readings, units, codes, device descriptions. Standard library only.
        .target(name: "PocGateCore", swiftSettings: strict),
        // Streaming frame decoders, checksums, codecs.
        .target(name: "FrameParsing", dependencies: ["PocGateCore"], swiftSettings: strict),
        // Profile schema, YAML loading, validation and matching.
        .target(name: "DeviceProfiles", dependencies: ["PocGateCore", "FrameParsing", "Yams"], swiftSettings: strict),
        // libudev enumeration and hotplug monitor.
        .target(name: "Discovery", dependencies: ["PocGateCore", "CUdev", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // termios tty transport and the per-device session runner.
        .target(name: "SerialIO", dependencies: ["PocGateCore", "FrameParsing", "DeviceProfiles", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // SQLite store: migrations, readings, outbox.
        .target(name: "Store", dependencies: ["PocGateCore", "CSQLite"], swiftSettings: strict),
        // libcurl HTTPS uplink and FHIR R4 mapping.
        .target(name: "Uplink", dependencies: [
            "PocGateCore", "Store", "CCurl", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Config, wiring, lifecycle, logging backend, demo.
        .target(name: "Daemon", dependencies: [
            "PocGateCore", "FrameParsing", "DeviceProfiles", "Discovery", "SerialIO", "Store", "Uplink", "CTimex",
            "Yams", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "pocgate", dependencies: [
            "Daemon", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // Tests
        .target(name: "TestSupport", dependencies: ["PocGateCore", "FrameParsing"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "PocGateCoreTests", dependencies: ["PocGateCore"], swiftSettings: strict),
        .testTarget(name: "FrameParsingTests", dependencies: ["FrameParsing", "DeviceProfiles", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DeviceProfilesTests", dependencies: ["DeviceProfiles", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SerialIOTests", dependencies: ["SerialIO", "Daemon", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "UplinkTests", dependencies: ["Uplink", "TestSupport", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // Runs `pocgate devices` inside a umockdev testbed, hence the executable.
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "pocgate", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "DeviceProfiles", "Store", "Uplink", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["Daemon", "Store", "pocgate", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DemoTests", dependencies: ["Daemon", "TestSupport"], swiftSettings: strict),
    ]
)
