import FrameParsing
public import DeviceProfiles

/// The driver table: every protocol family pocgate speaks, one line each. A new family is
/// its folder under `Families/` plus one line here (docs/ARCHITECTURE.md, "Adding a protocol
/// family").
public enum ProtocolRegistry {
    /// The drivers, in the order `profile validate` lists their ids.
    public static let drivers: [ProtocolDriver] = [
        TaiDocDriver.glucose,
        TaiDocDriver.bloodPressure,
        LifeScanDriver.driver,
        Ultra2Driver.driver,
        FreeStyleDriver.driver,
        GlucoMenAreoDriver.driver,
        CodeFreeDriver.driver,
        IEEE11073Driver.driver,
        ECGDriver.framedTransfer,
        ECGDriver.scp,
        HL7Driver.driver,
        KioskAA55Driver.driver,
        ASTMDriver.driver,
        OmronDriver.driver,
        DeclarativeDriver.driver,
    ]

    private static let byFamily = Dictionary(drivers.map { ($0.family, $0) }, uniquingKeysWith: { first, _ in first })

    /// The driver of `family`; nil only for a family no profile loaded through
    /// `FamilyTable.builtIn` can name.
    public static func driver(_ family: ProtocolFamily) -> ProtocolDriver? { byFamily[family] }

    /// The driver of `profile`'s family. Every loaded profile has one (the loader refuses
    /// unknown families); a hand-made profile of an unknown family gets an inert driver
    /// that decodes nothing and has no session.
    public static func driver(for profile: DeviceProfile) -> ProtocolDriver {
        byFamily[profile.protocol] ?? ProtocolDriver(
            traits: FamilyTraits(family: profile.protocol, conversation: .gatewayPolls, liveSession: .never,
                                 typicalBauds: [], docsPage: ""),
            decodeCapture: { _, _ in DecodedCapture() })
    }
}

extension FamilyTable {
    /// The families of the driver registry: what profiles are loaded with.
    public static let builtIn = FamilyTable(ProtocolRegistry.drivers.map(\.traits))
}
