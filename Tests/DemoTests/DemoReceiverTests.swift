import Demo
import Emulators
import Daemon
import Foundation
import Testing

@Suite struct DemoReceiverTests {
    /// Runs `body` against a started receiver and stops it afterwards.
    func withReceiver(_ body: (DemoReceiver, ObservationRecorder) throws -> Void) throws {
        let recorder = ObservationRecorder()
        let receiver = try DemoReceiver { recorder.record($0) }
        receiver.start()
        defer { receiver.stop() }
        try body(receiver, recorder)
    }

    @Test func conditionalCreateWithCurl() throws {
        try withReceiver { receiver, recorder in
            let first = try ReceiverFixtures.curlPost(port: receiver.port, body: ReceiverFixtures.bundle())
            #expect(first.status == 200)
            #expect(ReceiverFixtures.entryStatuses(first.body) == ["201 Created", "201 Created"])
            let again = try ReceiverFixtures.curlPost(port: receiver.port, body: ReceiverFixtures.bundle())
            #expect(again.status == 200)
            #expect(ReceiverFixtures.entryStatuses(again.body) == ["200 OK", "200 OK"])

            #expect(recorder.observations.count == 1)
            #expect(receiver.createdObservations == 1)
            let observation = try #require(recorder.observations.first)
            #expect(observation == DemoObservation(
                code: "41653-7", display: "Glucose [Mass/volume] in Capillary blood by Glucometer",
                value: "120", unit: "mg/dL", effective: "2024-06-15T08:30:00+08:00",
                identifier: ReceiverFixtures.readingID, deviceSerial: ReceiverFixtures.serial, notes: ["before-meal"]))
        }
    }

    @Test func curlWithExpectContinue() throws {
        try withReceiver { receiver, recorder in
            let result = try ReceiverFixtures.curlPost(port: receiver.port, body: ReceiverFixtures.bundle(value: "5.6"),
                                                       extraArguments: ["-H", "Expect: 100-continue"])
            #expect(result.status == 200)
            #expect(recorder.observations.map(\.value) == ["5.6"])
        }
    }

    @Test func curlReusesTheConnection() throws {
        try withReceiver { receiver, recorder in
            let output = try ReceiverFixtures.curl(port: receiver.port, body: ReceiverFixtures.bundle(), times: 3,
                                                   arguments: ["-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                                                               "-w", "%{http_code} %{num_connects}\n"])
            #expect(output == "200 1\n200 0\n200 0\n")
            #expect(recorder.observations.count == 1)
        }
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() throws {
        try withReceiver { receiver, recorder in
            var client = try RawHTTPClient(port: receiver.port)
            try client.post(ReceiverFixtures.bundle())
            let first = try client.response()
            #expect(first.status == 200)
            #expect(first.headers["content-type"] == "application/fhir+json")
            #expect(first.headers["connection"] == "keep-alive")
            #expect(ReceiverFixtures.entryStatuses(first.body) == ["201 Created", "201 Created"])

            try client.post(ReceiverFixtures.bundle(readingID: "second-reading"))
            let second = try client.response()
            #expect(ReceiverFixtures.entryStatuses(second.body) == ["200 OK", "201 Created"])
            #expect(recorder.observations.map(\.identifier) == [ReceiverFixtures.readingID, "second-reading"])
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withReceiver { receiver, _ in
            var client = try RawHTTPClient(port: receiver.port)
            let body = ReceiverFixtures.bundle()
            let request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            try client.send(request + request)
            let first = try client.response()
            let second = try client.response()
            #expect(ReceiverFixtures.entryStatuses(first.body) == ["201 Created", "201 Created"])
            #expect(ReceiverFixtures.entryStatuses(second.body) == ["200 OK", "200 OK"])
        }
    }

    @Test func malformedJSONIs400AndTheConnectionStaysUsable() throws {
        try withReceiver { receiver, recorder in
            var client = try RawHTTPClient(port: receiver.port)
            try client.post("{\"resourceType\": \"Bundle\", ")
            let bad = try client.response()
            #expect(bad.status == 400)
            #expect(bad.text.contains("\"resourceType\":\"OperationOutcome\""))
            #expect(bad.text.contains("not valid JSON"))

            try client.post("{\"resourceType\": \"Patient\"}")
            #expect(try client.response().status == 400)

            try client.post(ReceiverFixtures.bundle())
            #expect(try client.response().status == 200)
            #expect(recorder.observations.count == 1)
        }
    }

    @Test func chunkedBodiesAreRefused() throws {
        try withReceiver { receiver, _ in
            var client = try RawHTTPClient(port: receiver.port)
            try client.send("POST /fhir HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
            let response = try client.response()
            #expect(response.status == 411)
            #expect(response.headers["connection"] == "close")
            let closed = client.serverClosed()
            #expect(closed)
        }
    }

    @Test func oversizedBodiesAreRefused() throws {
        try withReceiver { receiver, _ in
            var client = try RawHTTPClient(port: receiver.port)
            try client.send("POST /fhir HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n{")
            #expect(try client.response().status == 413)
        }
    }

    @Test func otherMethodsAndCodingsAreRefused() throws {
        try withReceiver { receiver, _ in
            var client = try RawHTTPClient(port: receiver.port)
            try client.send("GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.response().status == 405)
            try client.post("{}", extraHeaders: "Content-Encoding: br\r\n")
            #expect(try client.response().status == 415)
            // gzip (what the uplink sends) must really be gzip.
            try client.post("{}", extraHeaders: "Content-Encoding: gzip\r\n")
            #expect(try client.response().status == 400)
            try client.send("POST /fhir HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.response().status == 411)
        }
    }

    @Test func stopEndsOpenConnections() throws {
        let receiver = try DemoReceiver { _ in }
        receiver.start()
        var client = try RawHTTPClient(port: receiver.port)
        try client.post(ReceiverFixtures.bundle())
        #expect(try client.response().status == 200)
        let started = Date()
        receiver.stop()
        receiver.stop()
        #expect(Date().timeIntervalSince(started) < 2)
        let closed = client.serverClosed()
        #expect(closed)
    }

    @Test func aTakenPortIsReported() throws {
        let first = try DemoReceiver { _ in }
        defer { first.stop() }
        #expect(throws: DemoReceiverError.portInUse(first.port)) {
            try DemoReceiver(port: first.port) { _ in }
        }
        #expect(throws: DemoReceiverError.invalidPort(70_000)) {
            try DemoReceiver(port: 70_000) { _ in }
        }
    }

    @Test func lineIsReadable() {
        let observation = DemoObservation(
            code: "41653-7", display: "Glucose [Mass/volume] in Capillary blood by Glucometer", value: "120",
            unit: "mg/dL", effective: "2024-06-15T08:30:00+08:00", identifier: "x",
            deviceSerial: "2204A1B2C3D4E5F6", notes: ["before-meal"])
        #expect(DemoReceiver.line(for: observation)
            == "  ✓ 2024-06-15T08:30:00+08:00  glucose 120 mg/dL  (41653-7)  before-meal  meter 2204A1B2C3D4E5F6")
        #expect(DemoReceiver.line(for: DemoObservation(display: "Body weight", value: "70.5", unit: "kg"))
            == "  ✓ (no time)  Body weight 70.5 kg")
    }
}
