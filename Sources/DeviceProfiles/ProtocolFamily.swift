public import FrameParsing

/// A protocol family's id as a profile names it (`protocol: taidoc-td42xx`). Which ids exist
/// and what each family can do is declared by the family itself in the driver registry
/// (`Sources/Sessions/Families/`); the profile layer learns their traits from the
/// `FamilyTable` it loads with, and knows no family by name except `declarative`, whose
/// schema is its own.
public struct ProtocolFamily: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id, e.g. `taidoc-td42xx`.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(_ id: String) { rawValue = id }

    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Frames, records, readings and a read-only session written in the profile itself
    /// (`frame`, `records`, `readings`, `commands`, `session.script`; docs/PROFILES.md).
    public static let declarative = ProtocolFamily("declarative")
}

/// What loading and checking a profile needs to know of its protocol family. Each family
/// declares these with its driver; the profile layer never switches over families.
public struct FamilyTraits: Sendable {
    /// Who opens the conversation.
    public enum Conversation: Sendable, Equatable {
        /// The gateway polls: it sends a read command and the device answers. A session ends
        /// when the device stops answering; `session.quiet_time_s` means nothing here.
        case gatewayPolls
        /// The device speaks first (IEEE 11073 agents, ASTM and HL7 senders, ECG carts); the
        /// gateway listens for `session.quiet_time_s` and only answers.
        case deviceSpeaksFirst
    }

    /// When a profile of the family has a live session.
    public enum LiveSession: Sendable, Equatable {
        /// Always: the family has a session.
        case always
        /// Never: captures decode (`pocgate replay`), a port is never driven.
        case never
        /// When the profile writes one (`session.script` of a declarative profile).
        case whenScripted
    }

    /// The family's id.
    public var family: ProtocolFamily
    public var conversation: Conversation
    public var liveSession: LiveSession
    /// The baud rates the family's devices use, for the "unusual baud" warning (empty: any).
    public var typicalBauds: [Int]
    /// Top-level profile sections only this family reads (e.g. `taidoc`), refused elsewhere.
    public var profileSections: Set<String>
    /// The family's protocol page, relative to the repository (`docs/protocols/…`).
    public var docsPage: String

    public init(family: ProtocolFamily, conversation: Conversation, liveSession: LiveSession, typicalBauds: [Int],
                profileSections: Set<String> = [], docsPage: String) {
        self.family = family
        self.conversation = conversation
        self.liveSession = liveSession
        self.typicalBauds = typicalBauds
        self.profileSections = profileSections
        self.docsPage = docsPage
    }

    /// Whether a profile of this family, with `declarative` as its written protocol (nil for
    /// built-in families), has a live session. The one answer every part of pocgate asks.
    public func hasLiveSession(declarative: DeclarativePlan?) -> Bool {
        switch liveSession {
        case .always: return true
        case .never: return false
        case .whenScripted: return !(declarative?.spec.script.isEmpty ?? true)
        }
    }
}

/// The protocol families a profile may name, with their traits: what the profile loader is
/// given (the driver registry's `FamilyTable.builtIn`).
public struct FamilyTable: Sendable {
    private let byID: [ProtocolFamily: FamilyTraits]
    /// The families, in registry order.
    public let families: [ProtocolFamily]

    public init(_ traits: [FamilyTraits]) {
        families = traits.map(\.family)
        byID = Dictionary(traits.map { ($0.family, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The traits of `family`, or nil when no driver declares it.
    public subscript(_ family: ProtocolFamily) -> FamilyTraits? { byID[family] }

    /// Every family id, for messages ("one of …").
    public var ids: [String] { families.map(\.rawValue) }
}
