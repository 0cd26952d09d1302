// swift-tools-version: 6.1
import PackageDescription

/// One set of strict settings for every Swift target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// How the shipped binary is linked (release only; debug and test builds keep the defaults):
/// with the toolchain's lld, exporting no symbols (the Swift driver's `-export-dynamic` would
/// keep every public symbol alive and fill `.dynsym`; nothing loads pocgate as a library), and
/// with relative relocations packed as DT_RELR (glibc ≥ 2.36, Debian 12), which turns 1.2 MB of
/// `.rela.dyn` into a few kilobytes and leaves fewer pages dirtied at start. Identical code is
/// folded, as SwiftPM does itself when it links with gold. The functions an idle daemon runs
/// (packaging/startup-order.txt, written by scripts/startup-order) are placed together, so it
/// faults in about 1 MB of its own code rather than most of it; names the file no longer
/// matches are skipped.
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld",
        "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--icf=all",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/packaging/startup-order.txt",
        "-Xlinker", "--no-warn-symbol-ordering",
    ], .when(configuration: .release)),
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
        .library(name: "Sessions", targets: ["Sessions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // zlib for gzip request bodies (libcurl only decompresses answers, it cannot compress requests).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // OpenSSL's libcrypto (already loaded by libcurl's TLS): Ed25519 batch signatures and SHA-256.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The kernel's clock-synchronisation state (adjtimex), for `pocgate check`; libc only.
        .systemLibrary(name: "CTimex"),
        // The hidraw feature-report ioctls (HIDIOCGFEATURE/HIDIOCSFEATURE) as typed wrappers; header only.
        .systemLibrary(name: "CHIDRaw"),
        // sd-bus (libsystemd), for BlueZ's D-Bus API: one library on every systemd host, a small
        // synchronous API with its own event loop, no GLib.
        .systemLibrary(name: "CSDBus", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // libyaml's event parser, under the strict YAML reader of profiles and the configuration.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        // The domain: readings, units, codes, device descriptions. Standard library only.
        .target(name: "PocGateCore", swiftSettings: strict),
        // How pocgate's long-running parts run: one service protocol, one thread type, one wait
        // primitive (`Monitor`); locks are `Mutex`.
        .target(name: "Services", swiftSettings: strict),
        // Streaming frame decoders, checksums, codecs.
        .target(name: "FrameParsing", dependencies: ["PocGateCore"], swiftSettings: strict),
        // Profile schema, YAML loading, validation and matching.
        .target(name: "DeviceProfiles", dependencies: ["PocGateCore", "FrameParsing", "CYAML"], swiftSettings: strict),
        // libudev enumeration and hotplug monitor.
        .target(name: "Discovery", dependencies: ["PocGateCore", "Services", "CUdev", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // Device links under the sessions: the seam (bytes or whole messages, deadlines, why a
        // link ended) and its implementations, one folder each (TTY, HID).
        .target(name: "Transports", dependencies: ["PocGateCore", "CHIDRaw"], swiftSettings: strict),
        // Bluetooth LE over BlueZ's D-Bus API: the bus connection (one thread owns it), the BlueZ
        // object model, and the GATT link under the sessions.
        .target(name: "BlueZ", dependencies: [
            "PocGateCore", "Services", "Transports", "CSDBus", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The protocol families' driver table and live sessions over a link: one folder per
        // family, one registry line each, one shared frame-reading loop.
        .target(name: "Sessions", dependencies: [
            "PocGateCore", "FrameParsing", "DeviceProfiles", "Transports", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // SQLite store: migrations, readings, outbox.
        .target(name: "Store", dependencies: ["PocGateCore", "CSQLite"], swiftSettings: strict),
        // libcurl HTTPS uplink and FHIR R4 mapping.
        .target(name: "Uplink", dependencies: [
            "PocGateCore", "Services", "Store", "CCurl", "CZlib", "CLibCrypto", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The daemon at run time: configuration, wiring, port workers, the uplink worker, status
        // publishing, systemd and the journal.
        .target(name: "Daemon", dependencies: [
            "PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Discovery", "Transports", "BlueZ", "Sessions", "Store", "Uplink",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The command-line tools a technician or operator runs beside the daemon: replay, capture,
        // sketch, devices, queue, bind, profiles, status, check.
        .target(name: "Tools", dependencies: [
            "PocGateCore", "FrameParsing", "DeviceProfiles", "Discovery", "Transports", "BlueZ", "Sessions", "Store", "Uplink", "Daemon",
            "CTimex", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Emulated devices on pseudo-terminals, written from the public protocols: the demo's
        // meter and the tests' devices.
        .target(name: "Emulators", dependencies: ["PocGateCore", "Services", "FrameParsing"], swiftSettings: strict),
        // `pocgate demo` (emulated meter, the real daemon, a local receiver) and `pocgate bench`.
        .target(name: "Demo", dependencies: [
            "PocGateCore", "Services", "FrameParsing", "DeviceProfiles", "Store", "Uplink", "Daemon", "Emulators",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "pocgate", dependencies: [
            "Daemon", "Tools", "Demo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict, linkerSettings: releaseLinking),

        // Tests
        .target(name: "TestSupport", dependencies: ["PocGateCore", "FrameParsing"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "PocGateCoreTests", dependencies: ["PocGateCore"], swiftSettings: strict),
        .testTarget(name: "FrameParsingTests", dependencies: ["FrameParsing", "DeviceProfiles", "Sessions", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DeviceProfilesTests", dependencies: ["DeviceProfiles", "Sessions", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SessionsTests", dependencies: ["Sessions", "Transports", "Daemon", "Tools", "Emulators", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "UplinkTests", dependencies: ["Uplink", "TestSupport", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // Runs `pocgate devices` inside a umockdev testbed, hence the executable.
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "pocgate", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "Tools", "Services", "Sessions", "Transports", "DeviceProfiles", "Store", "Uplink", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // BlueZ over D-Bus, against a mocked BlueZ on a private bus (Tests/Harness/ble_bus.py).
        .testTarget(name: "BlueZTests", dependencies: [
            "BlueZ", "Sessions", "DeviceProfiles", "Transports", "PocGateCore", "Tools", "Daemon", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["Daemon", "Tools", "Sessions", "Store", "pocgate", "TestSupport"], swiftSettings: strict),
        // The only tests that depend on the demo.
        .testTarget(name: "DemoTests", dependencies: ["Demo", "Emulators", "Daemon", "TestSupport"], swiftSettings: strict),
    ]
)
