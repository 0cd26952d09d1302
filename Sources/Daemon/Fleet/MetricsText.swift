package import Store

/// The metrics file's text: the gateway's queue, store, readings, sessions, meters, uploads
/// and heartbeats as Prometheus metrics (docs/OPERATIONS.md, "Metrics").
///
/// Two formats of the same families: `.prometheus`, the text format node_exporter's textfile
/// collector parses (a counter's TYPE line names it with `_total`, so node_exporter keeps it
/// a counter), and `.openmetrics` (OpenMetrics 1.0: a counter family without `_total`, its
/// sample with it, `# UNIT`, `# EOF`), which node_exporter would read with every counter
/// untyped. Names follow the conventions: `pocgate_` prefix, `_total` counters, base units
/// (`_seconds`, `_bytes`), instants as `_timestamp_seconds` (Prometheus computes ages, so the
/// file need not be rewritten as time passes).
package struct MetricsText {
    /// Which exposition format to write (`metrics.format`).
    package enum Format: String, CaseIterable, Sendable {
        case prometheus
        case openmetrics
    }

    /// The longest label value written; longer ones (a device inventing serials) are cut.
    package static let maximumLabelBytes = 128

    package let format: Format
    private var out = ""

    package init(format: Format) { self.format = format }

    /// The whole file for `report` (nil when the store could not be read: those families are
    /// left out), the upload counters, and the gateway's identity and start time.
    package static func render(report: FleetReport?, uploads: UploadMetrics.Snapshot, gatewayID: String, version: String,
                       startedAtMillis: Int64, format: Format) -> String {
        var m = MetricsText(format: format)
        m.family("pocgate_info", .gauge, "The gateway's id and pocgate version (value 1).")
        m.sample("pocgate_info", ["gateway": gatewayID, "version": version], "1")
        m.family("pocgate_start_time_seconds", .gauge, "When the daemon started, Unix seconds.")
        m.sample("pocgate_start_time_seconds", [:], seconds(startedAtMillis))
        if let report { m.store(report) }
        m.uploads(uploads)
        if format == .openmetrics { m.out += "# EOF\n" }
        return m.out
    }

    private mutating func store(_ report: FleetReport) {
        family("pocgate_queue_readings", .gauge, "Readings waiting for upload (held readings not counted).")
        sample("pocgate_queue_readings", [:], String(report.pending))
        family("pocgate_queue_oldest_pending_timestamp_seconds", .gauge,
               "When the oldest waiting reading was received, Unix seconds (absent when none waits).")
        if let oldest = report.oldestPendingReceivedAtMillis {
            sample("pocgate_queue_oldest_pending_timestamp_seconds", [:], Self.seconds(oldest))
        }
        family("pocgate_last_upload_timestamp_seconds", .gauge, "When the data center last acknowledged a reading, Unix seconds.")
        if let last = report.lastDeliveredAtMillis { sample("pocgate_last_upload_timestamp_seconds", [:], Self.seconds(last)) }
        family("pocgate_held_readings", .gauge, "Readings held back from upload until a person acts.")
        sample("pocgate_held_readings", [:], String(report.held))
        family("pocgate_dead_letters", .gauge, "Readings the data center refused, waiting for a person.")
        sample("pocgate_dead_letters", [:], String(report.deadLetters))
        family("pocgate_store_used_bytes", .gauge, "Bytes the database's live pages use.")
        sample("pocgate_store_used_bytes", [:], String(report.usedBytes))
        family("pocgate_store_limit_bytes", .gauge, "The store's cap, store.max_size_mb (absent without a cap).")
        if let limit = report.limitBytes { sample("pocgate_store_limit_bytes", [:], String(limit)) }
        family("pocgate_store_readings", .gauge,
               "Readings the store holds by state (pending, held, uploaded, dead, local), kind and profile; pruning lowers it.")
        for row in report.readingCounts {
            sample("pocgate_store_readings", ["state": row.state, "kind": row.kind, "profile": row.profileID], String(row.count))
        }
        family("pocgate_store_sessions", .gauge, "Device sessions the store holds, by outcome (open: running).")
        for (outcome, count) in report.sessionOutcomes.sorted(by: { $0.key < $1.key }) {
            sample("pocgate_store_sessions", ["outcome": outcome], String(count))
        }
        family("pocgate_device_last_reading_timestamp_seconds", .gauge,
               "When the gateway received the meter's newest reading, Unix seconds.")
        for d in report.devices {
            if let last = d.lastReadingReceivedAtMillis {
                sample("pocgate_device_last_reading_timestamp_seconds", ["device": d.serial, "profile": d.profileID], Self.seconds(last))
            }
        }
        family("pocgate_device_last_session_timestamp_seconds", .gauge, "When the meter's last session started, Unix seconds.")
        for d in report.devices {
            sample("pocgate_device_last_session_timestamp_seconds", ["device": d.serial, "profile": d.profileID],
                   Self.seconds(d.lastSessionStartedAtMillis))
        }
        family("pocgate_device_clock_offset_seconds", .gauge, "Gateway clock minus the meter's clock, measured for its newest reading.")
        for d in report.devices {
            if let offset = d.clockOffsetSeconds {
                sample("pocgate_device_clock_offset_seconds", ["device": d.serial, "profile": d.profileID], String(offset))
            }
        }
    }

    private mutating func uploads(_ u: UploadMetrics.Snapshot) {
        family("pocgate_upload_attempts_total", .counter, "Upload attempts since the daemon started, by result.")
        for result in UploadMetrics.results {
            sample("pocgate_upload_attempts_total", ["result": result], String(u.attempts[result] ?? 0))
        }
        family("pocgate_upload_failures_total", .counter, "Failed or partly failed upload attempts since start, by class.")
        for failure in UploadMetrics.classes {
            sample("pocgate_upload_failures_total", ["class": failure], String(u.failures[failure] ?? 0))
        }
        family("pocgate_uploaded_readings_total", .counter, "Readings the data center acknowledged since the daemon started.")
        sample("pocgate_uploaded_readings_total", [:], String(u.readingsUploaded))
        family("pocgate_upload_duration_seconds", .histogram, "How long each upload attempt took, seconds.")
        var cumulative = 0
        for (index, bound) in UploadMetrics.bucketBounds.enumerated() {
            cumulative += u.bucketCounts[index]
            sample("pocgate_upload_duration_seconds_bucket", ["le": String(bound)], String(cumulative))
        }
        cumulative += u.bucketCounts[UploadMetrics.bucketBounds.count]
        sample("pocgate_upload_duration_seconds_bucket", ["le": "+Inf"], String(cumulative))
        sample("pocgate_upload_duration_seconds_sum", [:], String(u.durationSumSeconds))
        sample("pocgate_upload_duration_seconds_count", [:], String(u.durationCount))
        family("pocgate_heartbeats_total", .counter, "Heartbeats to the data center since start: sent (acknowledged) or failed.")
        for result in ["sent", "failed"] {
            sample("pocgate_heartbeats_total", ["result": result], String(u.heartbeats[result] ?? 0))
        }
    }

    private enum Kind: String {
        case gauge, counter, histogram
    }

    /// The TYPE, UNIT (OpenMetrics) and HELP lines of a family named as its samples are
    /// (`…_total` for a counter).
    private mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        var declared = name
        if format == .openmetrics && kind == .counter { declared = String(name.dropLast("_total".count)) }
        out += "# TYPE \(declared) \(kind.rawValue)\n"
        if format == .openmetrics {
            if declared.hasSuffix("_seconds") { out += "# UNIT \(declared) seconds\n" }
            if declared.hasSuffix("_bytes") { out += "# UNIT \(declared) bytes\n" }
        }
        out += "# HELP \(declared) \(help)\n"
    }

    private mutating func sample(_ name: String, _ labels: [String: String], _ value: String) {
        out += name
        if !labels.isEmpty {
            let ordered = labels.sorted { $0.key < $1.key }
            out += "{" + ordered.map { "\($0.key)=\"\(Self.escaped($0.value))\"" }.joined(separator: ",") + "}"
        }
        out += " " + value + "\n"
    }

    /// A label value with `\`, `"` and line feeds escaped, other control characters as spaces,
    /// cut to `maximumLabelBytes`.
    package static func escaped(_ value: String) -> String {
        var text = ""
        var bytes = 0
        for ch in value {
            bytes += ch.utf8.count
            guard bytes <= maximumLabelBytes else { break }
            switch ch {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n", "\r\n": text += "\\n"
            case _ where ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }): text += " "
            default: text.append(ch)
            }
        }
        return text
    }

    /// Unix milliseconds as seconds with three decimals.
    package static func seconds(_ millis: Int64) -> String {
        let whole = millis / 1000
        var fraction = millis % 1000
        var sign = ""
        var w = whole
        if millis < 0 {
            sign = "-"
            w = -whole
            fraction = -fraction
        }
        let f = String(fraction)
        return sign + String(w) + "." + String(repeating: "0", count: 3 - f.count) + f
    }
}
