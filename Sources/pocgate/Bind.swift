import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import Logging

/// `pocgate bind DEVICE_SERIAL PATIENT_ID`: the gateway's device → patient binding.
struct Bind: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bind a device (its serial number) to a patient (resident ID); used with patients.binding: gateway.",
        discussion: """
            Refuses an ID that is not a valid resident ID (18 characters, check character, birth date). \
            Readings from the device held 'unbound' are released for this patient. Readings already stored \
            keep the patient they were stored for: before binding a meter to another patient, connect it \
            so its memory is read for the current one (--rebind is required to replace a binding). \
            Written to the audit log (pocgate bindings --audit); IDs are shown masked.
            """)

    @OptionGroup var options: QueueOptions

    @Argument(help: "The device's serial number, as 'pocgate queue' and the status show it.")
    var serial: String

    @Argument(help: "The patient's resident ID (18 characters).")
    var patientID: String

    @Flag(name: .long, help: "Replace the device's binding to another patient.")
    var rebind = false

    func run() throws {
        LogSetup.bootstrap(level: .info)
        print(try BindingTool.bind(serial: serial, patientID: patientID, rebind: rebind, configPath: options.config,
                                   logger: Logger(label: "pocgate")))
    }
}

/// `pocgate unbind DEVICE_SERIAL`.
struct Unbind: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a device's patient binding; its new readings are held until it is bound again.")

    @OptionGroup var options: QueueOptions

    @Argument(help: "The device's serial number.")
    var serial: String

    func run() throws {
        LogSetup.bootstrap(level: .info)
        print(try BindingTool.unbind(serial: serial, configPath: options.config, logger: Logger(label: "pocgate")))
    }
}

/// `pocgate bindings [--audit]`.
struct Bindings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List device bindings (patient IDs masked); --audit adds who changed what, when.")

    @OptionGroup var options: QueueOptions

    @Flag(name: .long, help: "Also print the audit log (bindings and released readings).")
    var audit = false

    func run() throws {
        print(try BindingTool.list(configPath: options.config, audit: audit))
    }
}
