import ArgumentParser
import ExampleSupport
import Foundation
import TwitterExampleSupport
import TwitterSource

@main
struct TwitterToSocketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twitter-to-socket",
        abstract: "Serves the text of streamed posts, one per line, to a TCP client (tutorial 001's listener).",
        discussion: """
            Point hashtag-top10 (or network-wordcount) at it: twitter-to-socket --port 9009, then hashtag-top10 --port 9009.
            Clients are served one at a time, each with its own stream connection (the API allows one per app).
            With no TWITTER_BEARER_TOKEN it streams from a local emulator and says so.
            """)

    @OptionGroup(title: "X API")
    var twitter: TwitterConnectionOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 9009

    func validate() throws {
        try FlagCheck.port(port, allowZero: true)
    }

    func run() throws {
        let (configuration, emulator) = try twitter.connect()
        let server = try TCPLineServer(host: host, port: port)
        FileHandle.standardOutput.write(Data("listening on \(host):\(server.port)\n".utf8))
        while true {
            let client = try server.accept()
            FileHandle.standardError.write(Data("client connected: streaming post texts\n".utf8))
            let connection = TwitterStreamConnection(configuration)
            try connection.run { message in
                guard case .tweet(let tweet) = message else { return }
                let line = tweet.text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                if (try? client.write(line: line)) == nil { connection.stop() }
            }
            client.close()
            FileHandle.standardError.write(Data("client gone\n".utf8))
        }
        withExtendedLifetime(emulator) {}
    }
}
