public import PocGateCore

/// One SCP-ECG record (EN 1064 / ISO 11073-91064), decoded: record CRC u16 and length u32
/// (little-endian) followed by sections, section 0 pointing at the others.
///
/// Checked before anything is trusted: the record length against the bytes, the record CRC
/// (CRC-16/CCITT-FALSE over byte 2 to the end), section 0's id and CRC, every pointer against
/// the record's bounds, and each pointed-to section's id, length and CRC.
///
/// Decoded: 0 pointers, 1 patient/acquisition tags, 2 Huffman tables (default 19999 and
/// custom), 3 lead definitions, 6 rhythm data, 7 global measurements, 8 and 11 interpretive
/// statements. Sections 4, 5 (reference beats), 9 and 10 are CRC-checked but not decoded; a
/// record that needs them (reference beat subtraction, bimodal compression) is refused with a
/// named problem. A statement section that cannot be read does not cost the ECG: it becomes
/// a statement saying so.
public struct SCPRecord: Sendable, Hashable {
    /// Section ids and (1-based index, length) of every present section, from section 0.
    public var pointers: [Int: (index: Int, length: Int)] { Dictionary(pointerList.map { ($0.id, ($0.index, $0.length)) }, uniquingKeysWith: { first, _ in first }) }
    /// Section 0's pointers in file order (absent sections, length 0, left out).
    public var pointerList: [Pointer]
    /// Section 1.
    public var patient: SCPPatientData
    /// Section 3.
    public var leads: SCPLeadDefinition
    /// Section 2 tables; nil when the rhythm data are uncompressed.
    public var huffmanTables: [SCPHuffmanTable]?
    /// Section 6.
    public var rhythm: SCPRhythmData
    /// Section 7, when present.
    public var globalMeasurements: SCPGlobalMeasurements?
    /// The raw bytes of section 1, for a reading's provenance.
    public var patientSectionBytes: [UInt8]
    /// Sections 8 and 11, in that order, when present.
    public var statementGroups: [ECGStatementGroup]

    /// One section 0 pointer.
    public struct Pointer: Sendable, Hashable {
        public var id: Int
        public var length: Int
        /// 1-based byte offset in the record.
        public var index: Int
    }

    /// The smallest record: CRC, length and a section 0 header.
    public static let minimumLength = 6 + SCPSection.headerLength
    /// The largest record pocgate accepts (a 12-lead record of over 40 s uncompressed fits).
    public static let maximumLength = 1024 * 1024

    public static func == (a: SCPRecord, b: SCPRecord) -> Bool {
        a.pointerList == b.pointerList && a.patient == b.patient && a.leads == b.leads && a.huffmanTables == b.huffmanTables
            && a.rhythm == b.rhythm && a.globalMeasurements == b.globalMeasurements && a.patientSectionBytes == b.patientSectionBytes
            && a.statementGroups == b.statementGroups
    }

    public func hash(into h: inout Hasher) { h.combine(pointerList) }

    /// Decodes a whole record.
    public init(_ bytes: [UInt8]) throws(SCPProblem) {
        guard bytes.count >= Self.minimumLength else {
            throw .truncated("\(bytes.count) bytes cannot hold the record header and section 0")
        }
        let declared = Int(SCPBytes.u32(bytes, 2))
        guard declared == bytes.count else { throw .recordLength(declared: declared, actual: bytes.count) }
        let carried = SCPBytes.u16(bytes, 0)
        let computed = bytes.withUnsafeBytes { CCITTFalse.checksum(UnsafeRawBufferPointer(rebasing: $0[2...])) }
        guard carried == computed else { throw .recordCRC(computed: computed, carried: carried) }

        let section0Length = Int(SCPBytes.u32(bytes, 6 + 4))
        let section0 = try SCPSection.read(bytes, offset: 6, length: section0Length, expectedID: 0)
        guard section0.body.count % 10 == 0 else {
            throw .malformed(section: 0, "pointer area of \(section0.body.count) bytes is not a whole number of 10-byte pointers")
        }
        var list: [Pointer] = []
        var c = SCPCursor(section0.body, section: 0)
        while c.remaining >= 10 {
            let id = Int(try c.u16("a pointer id"))
            let length = Int(try c.u32("a pointer length"))
            let index = Int(try c.u32("a pointer index"))
            guard length > 0 else { continue }
            guard index >= 1, index - 1 <= bytes.count, length <= bytes.count - (index - 1) else {
                throw .pointerOutside(id: id, index: index, length: length, recordLength: bytes.count)
            }
            list.append(Pointer(id: id, length: length, index: index))
        }
        pointerList = list
        var sections: [Int: SCPSection] = [:]
        for p in list where p.id != 0 {
            sections[p.id] = try SCPSection.read(bytes, offset: p.index - 1, length: p.length, expectedID: p.id)
        }
        guard let s1 = sections[1] else { throw .missingSection(1) }
        patient = try SCPPatientData(s1)
        patientSectionBytes = Array(bytes[(list.first { $0.id == 1 }!.index - 1)...].prefix(list.first { $0.id == 1 }!.length))
        guard let s3 = sections[3] else { throw .missingSection(3) }
        leads = try SCPLeadDefinition(s3)
        huffmanTables = try sections[2].map { s throws(SCPProblem) in try SCPHuffmanTable.tables(s) }
        guard let s6 = sections[6] else { throw .missingSection(6) }
        rhythm = try SCPRhythmData(s6, leads: leads, huffman: huffmanTables)
        globalMeasurements = try sections[7].map { s throws(SCPProblem) in try SCPGlobalMeasurements(s) }
        statementGroups = [8, 11].compactMap { id in
            sections[id].map { section in
                do {
                    return try SCPStatements.group(section)
                } catch {
                    return ECGStatementGroup(section: id, confirmation: .unconfirmed,
                                             statements: ["pocgate could not read the cart's statements in section \(id): \(error)"])
                }
            }
        }
    }

    /// The context the cart recorded with the ECG: statements, filters, the age entered.
    public var context: ECGContext {
        let bitmap = patient.filterBitmap
        let notch: Int? = bitmap.flatMap { $0 & 1 != 0 ? 60 : $0 & 2 != 0 ? 50 : nil }
        return ECGContext(statementGroups: statementGroups, highPassCentihertz: patient.highPassCentihertz,
                          lowPassHertz: patient.lowPassHertz, notchHertz: notch, artifactFilter: bitmap.map { $0 & 4 != 0 },
                          age: patient.age)
    }

    /// The acquisition time from tags 25 and 26, or why there is none.
    public func acquisitionTime() -> Result<LocalDateTime, SCPProblem> {
        guard let d = patient.acquisitionDate else { return .failure(.noAcquisitionTime("section 1 has no date (tag 25)")) }
        guard let t = patient.acquisitionTime else { return .failure(.noAcquisitionTime("section 1 has no time (tag 26)")) }
        let time = LocalDateTime(year: d.year, month: d.month, day: d.day, hour: t.hour, minute: t.minute, second: t.second)
        guard time.isValid else { return .failure(.noAcquisitionTime("\(time) is not a valid date and time; check the cart's clock")) }
        return .success(time)
    }

    /// The ECG: samples in counts with the factor AVM/1000 µV, period interval/1000 ms.
    public func ecgRecord() -> Result<ECGRecord, SCPProblem> {
        let time: LocalDateTime
        switch acquisitionTime() {
        case let .success(t): time = t
        case let .failure(p): return .failure(p)
        }
        let waveformLeads = zip(leads.leads, rhythm.samples).map { WaveformLead(name: $0.name, samples: $1) }
        let waveform = Waveform(periodMillis: ECGRecord.thousandths(rhythm.sampleIntervalMicros),
                                factor: ECGRecord.thousandths(rhythm.amplitudeMultiplier), leads: waveformLeads)
        return .success(ECGRecord(patientID: patient.patientID, acquired: time, waveform: waveform,
                                  measurements: globalMeasurements?.measurements ?? ECGMeasurements(),
                                  deviceSerial: patient.deviceSerial, deviceModel: patient.deviceModel,
                                  context: context.isEmpty ? nil : context))
    }
}
