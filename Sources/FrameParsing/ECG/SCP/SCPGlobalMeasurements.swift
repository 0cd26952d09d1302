/// Section 7, global measurements: number of measurement blocks u8 (reference beat types
/// plus one), pacemaker spikes u8, average RR u16, average PP u16, then per block P onset,
/// P offset, QRS onset, QRS offset, T offset (ms, u16) and P, QRS, T axes (degrees, i16);
/// pacemaker spikes (4 bytes each, then 6 bytes each); QRS count u16 and one type byte per
/// QRS; then ventricular rate u16, atrial rate u16, QTc u16, correction formula u8.
///
/// pocgate reads block 1 (the dominant beat) and the rate/QTc extension. Interval markers
/// 29999 (not computed), 29998 (lead rejected) and 19999 (wave absent) and the axis marker
/// 999 (undefined) mean "not measured".
public struct SCPGlobalMeasurements: Sendable, Hashable {
    /// The cart's measurements.
    public var measurements: ECGMeasurements

    init(_ section: SCPSection) throws(SCPProblem) {
        var c = SCPCursor(section.body, section: 7)
        let blocks = Int(try c.u8("the measurement block count"))
        let spikes = Int(try c.u8("the pacemaker spike count"))
        _ = try c.u16("the average RR interval")
        _ = try c.u16("the average PP interval")
        var m = ECGMeasurements()
        func interval(_ v: UInt16) -> Int? { v == 29999 || v == 29998 || v == 19999 ? nil : Int(v) }
        func axis(_ v: Int16) -> Int? { v == 999 || v == 29999 || v == 29998 || v == 19999 ? nil : Int(v) }
        for block in 0..<blocks {
            let pOn = interval(try c.u16("P onset")), pOff = interval(try c.u16("P offset"))
            let qrsOn = interval(try c.u16("QRS onset")), qrsOff = interval(try c.u16("QRS offset"))
            let tOff = interval(try c.u16("T offset"))
            let pAxis = axis(try c.i16("P axis")), qrsAxis = axis(try c.i16("QRS axis")), tAxis = axis(try c.i16("T axis"))
            _ = pOff
            guard block == 0 else { continue }
            if let pOn, let qrsOn, qrsOn >= pOn { m.prInterval = qrsOn - pOn }
            if let qrsOn, let qrsOff, qrsOff >= qrsOn { m.qrsDuration = qrsOff - qrsOn }
            if let qrsOn, let tOff, tOff >= qrsOn { m.qtInterval = tOff - qrsOn }
            m.pAxis = pAxis
            m.qrsAxis = qrsAxis
            m.tAxis = tAxis
        }
        // The rest is optional in older files: stop quietly where the section ends.
        if c.remaining >= spikes * 10 {
            _ = try c.take(spikes * 10, "pacemaker spikes")
            if c.remaining >= 2 {
                let qrsCount = Int(try c.u16("the QRS count"))
                if c.remaining >= qrsCount + 6 {
                    _ = try c.take(qrsCount, "QRS types")
                    let rate = try c.u16("the ventricular rate")
                    _ = try c.u16("the atrial rate")
                    let qtc = try c.u16("the QTc")
                    if rate > 0, let r = interval(rate) { m.heartRate = r }
                    if qtc > 0, let q = interval(qtc) { m.qtcInterval = q }
                }
            }
        }
        measurements = m
    }
}
