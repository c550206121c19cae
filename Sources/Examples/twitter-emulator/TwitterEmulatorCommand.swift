import ArgumentParser
import Dispatch
import ExampleSupport
import Foundation
import TwitterEmulator

@main
struct TwitterEmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twitter-emulator",
        abstract: "Serves the X API v2 stream and rules endpoints on loopback, for development and tests without credentials.",
        discussion: """
            Its first line on stdout is its base URL. Clients must send `Authorization: Bearer <--token>` (401 otherwise).
            Endpoints: GET /2/tweets/search/stream, GET /2/tweets/sample/stream, GET and POST /2/tweets/search/stream/rules.
            The fault flags make it misbehave the way the real API does, to test clients.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "The bearer token clients must send.")
    var token = "emulator-token"

    @Option(help: ArgumentHelp("Serve these JSON lines (e.g. from tweet-gen) instead of generated posts.", valueName: "path"))
    var input: String?

    @Option(help: "Posts per second (0: as fast as possible).")
    var rate: Double = 50

    @Option(help: "Stop producing posts after this many (then only keep-alives).")
    var maxPosts: Int?

    @Option(help: "Seconds without a post after which a blank keep-alive line is sent.")
    var keepAlive: Double = 20

    @Option(help: "Seed of the generated posts.")
    var seed: UInt64 = 42

    @Option(help: "Share (0–1) of generated lines that are malformed JSON.")
    var malformedShare: Double = 0

    @Flag(help: "Let the filtered stream connect without rules (the real API answers 409).")
    var allowNoRules = false

    @Option(help: "Fault: close each connection abruptly after this many posts.")
    var disconnectAfter: Int?

    @Option(help: "Fault: send the operational-disconnect error line and close after this many posts.")
    var operationalDisconnectAfter: Int?

    @Option(help: "Fault: on the first connection, go silent after this many posts (a stall).")
    var stallAfter: Int?

    @Option(help: "Fault: answer this many first connections with 429 TooManyConnections.")
    var tooManyConnections = 0

    @Option(help: "Fault: answer the next this many connections with 503.")
    var serviceUnavailable = 0

    @Flag(help: "Fault: gzip the stream (flushed per line) for clients that accept it.")
    var gzip = false

    @Flag(help: "Fault: split every line across several small HTTP chunks.")
    var partialChunks = false

    func validate() throws {
        try FlagCheck.port(port, allowZero: true)
        try FlagCheck.number(rate, "--rate", in: 0...1_000_000)
        if let maxPosts { try FlagCheck.integer(maxPosts, "--max-posts", in: 1...Int.max) }
        try FlagCheck.seconds(keepAlive, "--keep-alive")
        try FlagCheck.number(malformedShare, "--malformed-share", in: 0...1)
        for (value, flag) in [
            (disconnectAfter, "--disconnect-after"), (operationalDisconnectAfter, "--operational-disconnect-after"),
            (stallAfter, "--stall-after"),
        ] {
            if let value { try FlagCheck.integer(value, flag, in: 1...Int.max) }
        }
        try FlagCheck.integer(tooManyConnections, "--too-many-connections", in: 0...1_000_000)
        try FlagCheck.integer(serviceUnavailable, "--service-unavailable", in: 0...1_000_000)
    }

    func run() throws {
        var options = EmulatorOptions()
        options.host = host
        options.port = port
        options.bearerToken = token
        if let input {
            guard let text = try? String(contentsOfFile: input, encoding: .utf8) else {
                throw ValidationError("cannot read --input \(input)")
            }
            options.lines = text.split(separator: "\n").map(String.init)
        }
        options.rate = rate
        options.maxPosts = maxPosts
        options.keepAliveInterval = .milliseconds(Int64(keepAlive * 1000))
        options.seed = seed
        options.malformedShare = malformedShare
        options.requireRules = !allowNoRules
        options.faults.disconnectAfter = disconnectAfter
        options.faults.operationalDisconnectAfter = operationalDisconnectAfter
        options.faults.stallAfter = stallAfter
        options.faults.tooManyConnections = tooManyConnections
        options.faults.serviceUnavailable = serviceUnavailable
        options.faults.gzip = gzip
        options.faults.partialChunks = partialChunks
        let emulator = try TwitterAPIEmulator(options)
        emulator.start()
        FileHandle.standardOutput.write(Data("\(emulator.baseURL)\n".utf8))
        FileHandle.standardError.write(Data("X API emulator; token '\(token)'; Ctrl-C stops\n".utf8))
        waitForTerminationSignal()
        emulator.stop()
    }
}
