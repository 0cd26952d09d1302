/// Section 3, lead definition: lead count u8, flags u8 (bit 0 reference beat subtraction
/// used, bit 2 all leads recorded simultaneously, bits 3–7 number of simultaneous leads),
/// then per lead start sample u32, end sample u32 (1-based, inclusive) and lead code u8.
public struct SCPLeadDefinition: Sendable, Hashable {
    /// One lead of section 3.
    public struct Lead: Sendable, Hashable {
        /// SCP-ECG lead code (1 I, 2 II, 3…8 V1…V6, 61 III, 62 aVR, 63 aVL, 64 aVF…).
        public var code: UInt8
        /// First sample number, counted from 1.
        public var startSample: Int
        /// Last sample number, inclusive.
        public var endSample: Int

        /// Samples in the lead.
        public var sampleCount: Int { endSample - startSample + 1 }
        /// The lead's conventional name.
        public var name: String { ECGLeadCode.name(code) }
    }

    /// The leads, in the order their data follow in sections 5 and 6.
    public var leads: [Lead]
    /// Whether the rhythm data had the reference beat subtracted (needs sections 4 and 5).
    public var referenceBeatSubtracted: Bool
    /// Whether all leads were recorded at the same time.
    public var simultaneous: Bool

    /// The most samples per lead pocgate accepts (a guard against hostile numbers): 10 min at 500 Hz.
    public static let maximumSamplesPerLead = 300_000

    init(_ section: SCPSection) throws(SCPProblem) {
        var c = SCPCursor(section.body, section: 3)
        let count = Int(try c.u8("the lead count"))
        let flags = try c.u8("the flag byte")
        referenceBeatSubtracted = flags & 0x01 != 0
        simultaneous = flags & 0x04 != 0
        guard count > 0 else { throw .malformed(section: 3, "lead count is 0") }
        var leads: [Lead] = []
        for n in 1...count {
            let start = Int(try c.u32("lead \(n)'s start sample"))
            let end = Int(try c.u32("lead \(n)'s end sample"))
            let code = try c.u8("lead \(n)'s code")
            guard start >= 1, end >= start, end - start < Self.maximumSamplesPerLead else {
                throw .malformed(section: 3, "lead \(n) (\(ECGLeadCode.name(code))) spans samples \(start)...\(end)")
            }
            leads.append(Lead(code: code, startSample: start, endSample: end))
        }
        self.leads = leads
    }
}
