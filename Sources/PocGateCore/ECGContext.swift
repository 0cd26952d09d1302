/// What a 12-lead ECG cart records with a resting ECG besides the samples and the global
/// measurements: the reading center needs it to read the ECG as the cart acquired it.
/// SCP-ECG carries it in section 1 (tags 4, 27, 28, 29) and sections 8 and 11.
public struct ECGContext: Sendable, Hashable, Codable {
    /// The cart's interpretive statements, one group per statement section, in record order.
    public var statementGroups: [ECGStatementGroup]
    /// High-pass (baseline) filter cut-off, hundredths of a hertz (tag 27); nil when not stated.
    public var highPassCentihertz: Int?
    /// Low-pass filter cut-off, hertz (tag 28); nil when not stated.
    public var lowPassHertz: Int?
    /// Mains notch filter frequency in hertz (50 or 60) when the cart says one was on (tag 29).
    public var notchHertz: Int?
    /// Whether the cart's artifact filter was on (tag 29 bit 2); nil when tag 29 is absent.
    public var artifactFilter: Bool?
    /// The patient's age as entered on the cart (tag 4): the cart's interpretation uses
    /// paediatric criteria by it, so the reader must see what the cart assumed.
    public var age: ECGAge?

    public init(statementGroups: [ECGStatementGroup] = [], highPassCentihertz: Int? = nil, lowPassHertz: Int? = nil,
                notchHertz: Int? = nil, artifactFilter: Bool? = nil, age: ECGAge? = nil) {
        self.statementGroups = statementGroups
        self.highPassCentihertz = highPassCentihertz
        self.lowPassHertz = lowPassHertz
        self.notchHertz = notchHertz
        self.artifactFilter = artifactFilter
        self.age = age
    }

    /// Whether the record carried none of it.
    public var isEmpty: Bool { self == ECGContext() }
}

/// The statements of one SCP-ECG statement section (8: full text, 11: universal statement codes).
public struct ECGStatementGroup: Sendable, Hashable, Codable {
    /// Who stands behind the statements (the section's first byte).
    public enum Confirmation: String, Sendable, Hashable, Codable {
        /// 0: the cart's own, unconfirmed interpretation.
        case unconfirmed
        /// 1: a physician confirmed the report.
        case confirmed
        /// 2: overread by a physician but not confirmed.
        case overread
    }

    /// 8 or 11.
    public var section: Int
    public var confirmation: Confirmation
    /// The statements, each as the cart wrote it (section 11: the universal statement code
    /// and any text after it, separated by a space).
    public var statements: [String]

    public init(section: Int, confirmation: Confirmation, statements: [String]) {
        self.section = section
        self.confirmation = confirmation
        self.statements = statements
    }
}

/// An age as SCP-ECG tag 4 states it: a number and its unit.
public struct ECGAge: Sendable, Hashable, Codable {
    public var value: Int
    /// UCUM: `a` years, `mo` months, `wk` weeks, `d` days, `h` hours.
    public var unit: String

    public init(value: Int, unit: String) {
        self.value = value
        self.unit = unit
    }

    /// Tag 4's unit byte (1 years, 2 months, 3 weeks, 4 days, 5 hours) as UCUM; nil otherwise.
    public static func ucum(scpUnit: UInt8) -> String? {
        switch scpUnit {
        case 1: return "a"
        case 2: return "mo"
        case 3: return "wk"
        case 4: return "d"
        case 5: return "h"
        default: return nil
        }
    }
}
