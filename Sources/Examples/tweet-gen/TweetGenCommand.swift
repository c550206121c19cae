import ArgumentParser
import ExampleSupport
import Foundation
import TwitterEmulator

@main
struct TweetGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tweet-gen",
        abstract: "Writes deterministic, realistic posts as X API v2 JSON lines (v1.1 with --v1).",
        discussion: """
            Authors with skewed activity, Zipf-distributed hashtags, a Data Science / AI / Machine Learning / Big Data
            share against generic chatter, mentions, links, retweets, sentiment words, several languages, increasing
            created_at. The same --seed gives the same lines. Feed them to twitter-emulator --input, or replay them.
            """)

    @Option(help: "Number of lines.")
    var count = 1000

    @Option(help: "Seed: the same seed gives the same lines.")
    var seed: UInt64 = 42

    @Flag(help: "Write archived v1.1 statuses instead of v2 stream messages.")
    var v1 = false

    @Option(help: "Share (0–1) of lines that are malformed JSON, to test error handling.")
    var malformedShare: Double = 0

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    func validate() throws {
        try FlagCheck.integer(count, "--count", in: 0...Int.max)
        try FlagCheck.number(malformedShare, "--malformed-share", in: 0...1)
    }

    func run() throws {
        var generator = TweetGenerator(seed: seed, malformedShare: malformedShare)
        var text = ""
        for _ in 0..<count {
            let post = generator.next()
            text += (v1 ? post.v1JSON() : post.v2JSON()) + "\n"
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
