import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Logging
import Testing
import TestSupport

@Suite struct JournalLogHandlerTests {
    /// A logger writing the native journal protocol to a socket the test bound.
    static func logger(_ receiver: DatagramReceiver, level: Logger.Level = .debug) throws -> Logger {
        let journal = try JournalSocket(path: receiver.address)
        var logger = Logger(label: "pocgate") { label in JournalLogHandler(label: label, level: level, journal: journal) }
        logger[metadataKey: "device"] = "/dev/ttyUSB0"
        logger[metadataKey: "profile"] = "taidoc-td4277"
        return logger
    }

    static func entries(_ receiver: DatagramReceiver, count: Int) -> [JournalFields] {
        receiver.wait(timeout: 5) { $0.count >= count }
        return receiver.datagrams.map(JournalFields.init)
    }

    @Test func writesMessagePriorityIdentifierCodeLocationAndMetadataFields() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver)
        logger.warning("record not decoded, skipped", metadata: ["code": "PG-SES-008", "reading_id": "42", "session": "7",
                                                                 "batch": "1718440200000-3", "retryInMs": "2000"])
        let entry = try #require(Self.entries(receiver, count: 1).first)
        #expect(entry["MESSAGE"] == "record not decoded, skipped")
        #expect(entry["PRIORITY"] == "4")
        #expect(entry["SYSLOG_IDENTIFIER"] == "pocgate")
        #expect(entry["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true)
        #expect(Int(entry["CODE_LINE"] ?? "") != nil)
        #expect(entry["CODE_FUNC"]?.contains("writesMessagePriority") == true)
        #expect(entry["POCGATE_DEVICE"] == "/dev/ttyUSB0")
        #expect(entry["POCGATE_PROFILE"] == "taidoc-td4277")
        #expect(entry["POCGATE_READING_ID"] == "42")
        #expect(entry["POCGATE_SESSION"] == "7")
        #expect(entry["POCGATE_BATCH"] == "1718440200000-3")
        #expect(entry["POCGATE_CODE"] == "PG-SES-008")
        #expect(entry["POCGATE_RETRY_IN_MS"] == "2000")
    }

    @Test func mapsLevelsToSyslogPriorities() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver, level: .trace)
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.error("e")
        logger.critical("c")
        let priorities = Self.entries(receiver, count: 5).map { $0["PRIORITY"] }
        #expect(priorities == ["7", "6", "5", "3", "2"])
    }

    @Test func honoursTheLevel() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver, level: .warning)
        logger.info("not sent")
        logger.warning("sent")
        receiver.wait(timeout: 0.5) { $0.count >= 2 }
        #expect(receiver.datagrams.map { JournalFields($0)["MESSAGE"] } == ["sent"])
    }

    @Test func valuesWithNewlinesUseTheBinaryForm() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver)
        logger.error("line one\nline two", metadata: ["error": "first\nsecond=third"])
        let raw = try #require({ receiver.wait(timeout: 5) { !$0.isEmpty }; return receiver.datagrams.first }())
        // The binary form: the name, a newline, the length as 64-bit little endian, the bytes.
        let marker = Array("MESSAGE\n".utf8) + [17, 0, 0, 0, 0, 0, 0, 0] + Array("line one\nline two\n".utf8)
        #expect(raw.starts(with: marker))
        let entry = JournalFields(raw)
        #expect(entry["MESSAGE"] == "line one\nline two")
        #expect(entry["POCGATE_ERROR"] == "first\nsecond=third")
    }

    @Test func anEntryTooLargeForADatagramGoesThroughASealedMemfd() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver)
        let big = String(repeating: "0123456789abcdef", count: 40_000)  // 640 KB: over any datagram limit
        logger.info("big", metadata: ["payload": "\(big)"])
        let entry = try #require(Self.entries(receiver, count: 1).first)
        #expect(entry["MESSAGE"] == "big")
        #expect(entry["POCGATE_PAYLOAD"] == big)
    }

    @Test func residentIDsAreMaskedInMessagesAndValues() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver)
        logger.info("reading for 110101190001010014 stored", metadata: ["patient": "110101190001010014",
                                                                        "path": "/data/11010119000101001X/x"])
        let raw = try #require({ receiver.wait(timeout: 5) { !$0.isEmpty }; return receiver.datagrams.first }())
        let text = String(decoding: raw, as: UTF8.self)
        #expect(ResidentIDs.unmasked(in: text).isEmpty, "\(text)")
        let entry = JournalFields(raw)
        #expect(entry["MESSAGE"] == "reading for 1101************14 stored")
        #expect(entry["POCGATE_PATIENT"] == "1101************14")
        #expect(entry["POCGATE_PATH"] == "/data/1101************1X/x")
    }

    @Test func abstractSocketsWork() throws {
        let receiver = try DatagramReceiver(abstract: true)
        #expect(receiver.address.hasPrefix("@"))
        let logger = try Self.logger(receiver)
        logger.notice("abstract")
        #expect(Self.entries(receiver, count: 1).first?["MESSAGE"] == "abstract")
    }

    @Test func fieldNamesAreValidJournalNames() throws {
        let receiver = try DatagramReceiver()
        let logger = try Self.logger(receiver)
        logger.info("names", metadata: ["DEVICE": "a", "idVendor": "b", "usbPath": "c", "bad_frames": "d", "weird key-é": "e"])
        let entry = try #require(Self.entries(receiver, count: 1).first)
        for (name, _) in entry.fields {
            #expect(name.wholeMatch(of: /[A-Z0-9][A-Z0-9_]{0,63}/) != nil, "\(name)")
        }
        #expect(entry["POCGATE_ID_VENDOR"] == "b" && entry["POCGATE_USB_PATH"] == "c" && entry["POCGATE_BAD_FRAMES"] == "d")
        #expect(entry["POCGATE_WEIRD_KEY_"] == "e")
    }
}
