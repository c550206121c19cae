import ArgumentParser
import ExampleSupport
import Foundation

@main
struct LineServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line-server",
        abstract: "Serves lines of text to TCP clients at a steady rate: the peer of socketTextStream (like `nc -lk`).",
        discussion: """
            With no --input it sends generated tweet-like lines (hashtags, mentions, links) for ever, so the
            socket examples run with nothing else installed. Its first line on stdout is `listening on HOST:PORT`.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 9999

    @Option(help: "File whose lines to send (default: generated tweet-like lines).")
    var input: String?

    @Option(help: "Lines per second sent to each client.")
    var rate: Double = 200

    @Flag(help: "With --input: start over at the end of the file instead of closing the connection.")
    var loop = false

    @Option(help: "Serve this many clients, then exit once they are done (default: serve for ever).")
    var clients: Int?

    @Option(help: "Seed of the generated lines.")
    var seed: UInt64 = 42

    func validate() throws {
        try FlagCheck.port(port, allowZero: true)
        try FlagCheck.number(rate, "--rate", in: 0.001...100_000_000)
        if let clients { try FlagCheck.integer(clients, "--clients", in: 1...1_000_000) }
    }

    func run() throws {
        let lines = try input.map { try RecordFile.lines(of: $0) }
        let server = try TCPLineServer(host: host, port: port)
        FileHandle.standardOutput.write(Data("listening on \(host):\(server.port)\n".utf8))
        let finished = DispatchGroup()
        var served = 0
        while clients.map({ served < $0 }) ?? true {
            let client = try server.accept()
            served += 1
            finished.enter()
            let thread = Thread { [rate, loop, seed] in
                Self.send(to: client, lines: lines, loop: loop, rate: rate, seed: seed)
                finished.leave()
            }
            thread.start()
        }
        server.close()
        finished.wait()
    }

    private static func send(to client: TCPLineServer.Connection, lines: [String]?, loop: Bool, rate: Double, seed: UInt64) {
        defer { client.close() }
        var generated = TweetLikeText(seed: seed)
        let start = Date()
        var sent = 0
        while true {
            let line: String
            if let lines {
                if sent >= lines.count, !loop || lines.isEmpty { return }
                line = lines[sent % lines.count]
            } else {
                line = generated.next()!
            }
            guard (try? client.write(line: line)) != nil else { return }
            sent += 1
            let due = start.addingTimeInterval(Double(sent) / rate)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
    }
}
