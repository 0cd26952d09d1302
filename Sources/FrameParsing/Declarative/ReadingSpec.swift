public import PocGateCore

/// `record.field`, resolved to indexes.
public struct FieldRef: Sendable, Equatable, Hashable {
    public var record: Int
    public var field: Int

    public init(record: Int, field: Int) {
        self.record = record
        self.field = field
    }
}

/// How a record becomes a reading.
public struct ReadingSpec: Sendable, Equatable {
    /// Where the unit comes from.
    public enum UnitSource: Sendable, Equatable {
        case fixed(String)
        /// The field's value names (e.g. bit 0: 0 mmol/L, 1 mg/dL).
        case field(FieldRef)
    }

    /// One member of a panel (blood pressure: systolic, diastolic, mean).
    public struct Component: Sendable, Equatable {
        public var kind: ObservationKind
        public var value: FieldRef
        public var unit: UnitSource

        public init(kind: ObservationKind, value: FieldRef, unit: UnitSource) {
            self.kind = kind
            self.value = value
            self.unit = unit
        }
    }

    /// `field == value`: the reading applies only when it holds.
    public struct Condition: Sendable, Equatable {
        public var field: FieldRef
        public var equals: Int64

        public init(field: FieldRef, equals: Int64) {
            self.field = field
            self.equals = equals
        }
    }

    /// The record whose arrival completes the reading.
    public var trigger: Int
    public var conditions: [Condition]
    public var kind: ObservationKind
    /// LOINC; nil = derived from kind and unit.
    public var code: String?
    public var unit: UnitSource
    /// The value; for a panel, the first component's value when absent.
    public var value: FieldRef?
    public var time: FieldRef
    /// Fields whose value names are reading flags (`none` = no flag).
    public var flags: [FieldRef]
    /// Value above this: flagged `hi`.
    public var highAbove: ExactDecimal?
    /// Value below this: flagged `lo`.
    public var lowBelow: ExactDecimal?
    public var components: [Component]
    public var patient: FieldRef?

    public init(trigger: Int, conditions: [Condition] = [], kind: ObservationKind, code: String? = nil, unit: UnitSource,
                value: FieldRef?, time: FieldRef, flags: [FieldRef] = [], highAbove: ExactDecimal? = nil,
                lowBelow: ExactDecimal? = nil, components: [Component] = [], patient: FieldRef? = nil) {
        self.trigger = trigger
        self.conditions = conditions
        self.kind = kind
        self.code = code
        self.unit = unit
        self.value = value
        self.time = time
        self.flags = flags
        self.highAbove = highAbove
        self.lowBelow = lowBelow
        self.components = components
        self.patient = patient
    }
}

/// Text built from literal parts and field values, e.g. `TD-{model.number}`.
public struct TextTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case field(FieldRef)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }
}

/// Where the device's identity comes from.
public struct DeviceIdentitySpec: Sendable, Equatable {
    public var serial: TextTemplate?
    public var model: TextTemplate?
    /// A date-time field holding the device clock.
    public var clock: FieldRef?

    public init(serial: TextTemplate? = nil, model: TextTemplate? = nil, clock: FieldRef? = nil) {
        self.serial = serial
        self.model = model
        self.clock = clock
    }
}
