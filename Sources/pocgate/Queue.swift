import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import Logging
import Store

/// `pocgate queue`: the delivery queue and its dead letters, read from the database directly.
struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the delivery queue: depth, oldest undelivered reading, last error, dead letters.",
        subcommands: [Status.self, Dead.self, Release.self, Held.self, Attach.self, Problems.self], defaultSubcommand: Status.self)

    /// `pocgate queue [status]`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue depth, oldest undelivered age, last error, dead letters.")

        @OptionGroup var options: QueueOptions

        @Flag(name: .long, help: "One JSON object instead of text.")
        var json = false

        @OptionGroup var ids: PatientIDOptions

        func run() throws {
            let (summary, display) = try QueueTool.withStore(configPath: options.config) { (store: Store) throws(StoreError) in
                (try store.queueSummary(), try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, store: store))
            }
            let now = QueueTool.nowMillis()
            if json {
                print(QueueText.summaryJSON(summary, nowMillis: now, display: display))
            } else {
                Console.out(QueueText.summary(summary, nowMillis: now, display: display))
            }
        }
    }

    /// `pocgate queue dead …`.
    struct Dead: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Readings the data center refused for good: list, show, retry, drop.",
            subcommands: [List.self, Show.self, Retry.self, Drop.self], defaultSubcommand: List.self)
    }
}

extension Queue {
    /// `pocgate queue release --reason R`.
    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release readings held back (meter clock, unbound device, invalid patient ID, a value to check) after the cause was fixed.",
            discussion: """
                Each reading is judged again by the patient rule with the bindings in force now: one whose patient is still missing or invalid stays held. A value held as implausible-value or device-warning is released one reading at a time after you checked it: --reason implausible-value --reading ID --note "what you checked"; it is uploaded marked as reviewed. Written to the audit log.
                """)

        @OptionGroup var options: QueueOptions

        @Option(name: .long, help: "clock (all clock holds), clock-reset, before-earliest-year, in-future, unbound, invalid-patient-id, no-patient-id (an ECG without a patient stays held until 'pocgate queue attach'), implausible-value or device-warning (one reading, with --reading and --note).")
        var reason: String

        @Option(name: .long, help: "The reading whose value you checked (first column of 'pocgate queue held'); with --reason implausible-value or device-warning.")
        var reading: Int64?

        @Option(name: .long, help: "What you checked, kept in the audit log (e.g. \"meter HI, repeated: 33.1 mmol/L\").")
        var note: String?

        func run() throws {
            LogSetup.bootstrap(level: .info)
            Console.out(try BindingTool.release(reason: reason, readingID: reading, note: note, configPath: options.config,
                                          logger: Logger(label: "pocgate")))
        }
    }
}

/// `--show-patient-ids`, shared by the commands that print stored or received text.
struct PatientIDOptions: ParsableArguments {
    @Flag(name: .customLong("show-patient-ids"), help: "Print resident IDs in clear instead of masked (written to the audit log: pocgate bindings --audit).")
    var showPatientIDs = false
}

extension Queue {
    /// `pocgate queue held`.
    struct Held: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the readings waiting for their patient (ECGs with no or an invalid resident ID, unbound meters) or for a person to check their value.")

        @OptionGroup var options: QueueOptions

        func run() throws {
            Console.out(try AttachTool.held(configPath: options.config))
        }
    }

    /// `pocgate queue attach READING RESIDENT_ID`.
    struct Attach: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a patient to a reading held for its patient; an ECG's other readings follow it.",
            discussion: """
                For an ECG recorded with no resident ID, or with a clinic exam number instead. The resident ID is checked (length, birth date, check character); the reading is then uploaded for that patient. Written to the audit log ('pocgate bindings --audit').
                """)

        @OptionGroup var options: QueueOptions

        @Argument(help: "The reading id (first column of 'pocgate queue held').")
        var reading: Int64

        @Argument(help: "The patient's 18-character resident ID.")
        var residentID: String

        func run() throws {
            LogSetup.bootstrap(level: .info)
            Console.out(try AttachTool.attach(readingID: reading, patientID: residentID, configPath: options.config,
                                        logger: Logger(label: "pocgate")))
        }
    }
}

/// `--config`, shared by the queue commands.
struct QueueOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (YAML); its store.path is the database.")
    var config: String = "/etc/pocgate/pocgate.yaml"
}

extension Queue.Dead {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per dead letter: id, when, status, identifier, value, reason.")

        @OptionGroup var options: QueueOptions

        @Flag(name: .long, help: "Include dropped dead letters.")
        var all = false

        @OptionGroup var ids: PatientIDOptions

        func run() throws {
            let (letters, display) = try QueueTool.withStore(configPath: options.config) { (store: Store) throws(StoreError) in
                (try store.deadLetters(includeDropped: all), try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, store: store))
            }
            Console.out(QueueText.list(letters, display: display))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about one dead letter, the server's answer included.")

        @OptionGroup var options: QueueOptions

        @Argument(help: "The reading id (first column of 'list').")
        var id: Int64

        @OptionGroup var ids: PatientIDOptions

        func run() throws {
            let (letter, display) = try QueueTool.withStore(configPath: options.config) {
                (store: Store) throws(StoreError) -> (DeadLetter?, PatientIDDisplay) in
                guard let letter = try store.deadLetter(id: id) else { return (DeadLetter?.none, PatientIDDisplay.masked) }
                return (letter, try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, store: store))
            }
            guard let letter else { throw ValidationError("no dead letter for reading \(id)") }
            Console.out(QueueText.show(letter, display: display))
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move dead letters back into the outbox; the running daemon sends them at its next wake (within a minute).")

        @OptionGroup var options: QueueOptions

        @Argument(help: "The reading id.")
        var id: Int64?

        @Flag(name: .long, help: "Retry every dead letter that was not dropped.")
        var all = false

        func validate() throws {
            if (id == nil) == !all { throw ValidationError("give a reading id or --all") }
        }

        func run() throws {
            if let id {
                try QueueTool.withStore(configPath: options.config) { (store: Store) throws(StoreError) in
                    try store.retryDeadLetter(id: id)
                }
                Console.out("reading \(id) is back in the outbox")
            } else {
                let count = try QueueTool.withStore(configPath: options.config) { (store: Store) throws(StoreError) in
                    try store.retryAllDeadLetters()
                }
                Console.out("\(count) readings are back in the outbox")
            }
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give up on a dead letter: it is kept, marked dropped with your reason (logged at notice), and never sent.")

        @OptionGroup var options: QueueOptions

        @Argument(help: "The reading id.")
        var id: Int64

        @Option(name: .long, help: "Why it is dropped (kept in the store and logged).")
        var reason: String

        func validate() throws {
            if reason.trimmingWhitespace().isEmpty { throw ValidationError("--reason must say why") }
        }

        func run() throws {
            LogSetup.bootstrap(level: .info)
            try QueueTool.drop(id: id, reason: reason, configPath: options.config, logger: Logger(label: "pocgate"))
            Console.out("dead letter \(id) dropped")
        }
    }
}

extension Queue {
    /// `pocgate queue problems`.
    struct Problems: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Records devices sent that were not decoded (unknown model or record type, implausible values), kept with their bytes; never uploaded.")

        @OptionGroup var options: QueueOptions

        @Option(name: .customLong("drop-through"),
                help: "Delete the kept problems up to and including this id, after you looked at them, so the store keeps new ones again (written to the audit log).")
        var dropThrough: Int64?

        func run() throws {
            if let id = dropThrough {
                LogSetup.bootstrap(level: .info)
                let dropped = try QueueTool.dropProblems(through: id, configPath: options.config, logger: Logger(label: "pocgate"))
                Console.out("\(dropped) problem(s) dropped, through id \(id)")
                return
            }
            let list = try QueueTool.withStore(configPath: options.config) { (store: Store) throws(StoreError) in
                try store.recordProblems()
            }
            Console.out(QueueText.problems(list))
        }
    }
}
