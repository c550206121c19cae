import Foundation
import Sentiment
import Testing

/// Thousands of texts built to hit every rule (scripts/vader-reference.py), scored by the
/// Python reference in the test script: all four scores must be equal.
@Suite(
    "VADER against the Python reference, differentially",
    .enabled(
        if: ProcessInfo.processInfo.environment["VADER_REFERENCE_SCORES"] != nil,
        "set VADER_REFERENCE_SCORES (scripts/test.sh runs scripts/vader-reference.sh and sets it)")
)
struct VaderDifferentialTests {
    struct Reference: Decodable {
        let text: String
        let neg, neu, pos, compound: Double
    }

    @Test func everyScoreEqualsTheReference() throws {
        let path = ProcessInfo.processInfo.environment["VADER_REFERENCE_SCORES"]!
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 1000)
        var differing: [String] = []
        for line in lines {
            let reference = try JSONDecoder().decode(Reference.self, from: Data(line.utf8))
            let scores = SentimentAnalyzer.vader.scores(of: reference.text)
            let expected = SentimentScores(
                negative: reference.neg, neutral: reference.neu, positive: reference.pos, compound: reference.compound)
            if scores != expected { differing.append("\(reference.text.debugDescription): \(scores), reference \(expected)") }
        }
        #expect(
            differing.isEmpty, "\(differing.count) of \(lines.count) differ, e.g. \(differing.prefix(3).joined(separator: "\n"))")
    }
}
