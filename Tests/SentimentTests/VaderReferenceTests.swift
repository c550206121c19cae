import Sentiment
import Testing

/// VADER's own examples (vaderSentiment 3.3.2's README and `__main__`), with the scores the
/// Python reference gives: one sentence per rule.
@Suite("VADER against its reference")
struct VaderReferenceTests {
    @Test(arguments: [
        // (text, neg, neu, pos, compound)
        ("VADER is smart, handsome, and funny.", 0.0, 0.254, 0.746, 0.8316),
        ("VADER is smart, handsome, and funny!", 0.0, 0.248, 0.752, 0.8439),  // "!" amplifies
        ("VADER is very smart, handsome, and funny.", 0.0, 0.299, 0.701, 0.8545),  // a booster
        ("VADER is VERY SMART, handsome, and FUNNY.", 0.0, 0.246, 0.754, 0.9227),  // ALL CAPS emphasis
        ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.0, 0.233, 0.767, 0.9342),
        ("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.0, 0.294, 0.706, 0.9469),  // slang boosters
        ("VADER is not smart, handsome, nor funny.", 0.646, 0.354, 0.0, -0.7424),  // negation
        ("The book was good.", 0.0, 0.508, 0.492, 0.4404),
        ("At least it isn't a horrible book.", 0.0, 0.678, 0.322, 0.431),  // "n't"
        ("The book was only kind of good.", 0.0, 0.697, 0.303, 0.3832),  // "kind of" dampens
        ("The plot was good, but the characters are uncompelling and the dialog is not great.", 0.327, 0.579, 0.094, -0.7042),
        ("Today SUX!", 0.779, 0.221, 0.0, -0.5461),
        ("Today only kinda sux! But I'll get by, lol", 0.127, 0.556, 0.317, 0.5249),
        ("Make sure you :) or :D today!", 0.0, 0.294, 0.706, 0.8633),  // emoticons
        ("Catch utf-8 emoji such as 💘 and 💋 and 😁", 0.0, 0.583, 0.417, 0.875),  // emoji descriptions
        ("Not bad at all", 0.0, 0.513, 0.487, 0.431),
        ("Sentiment analysis has never been this good!", 0.0, 0.621, 0.379, 0.5672),  // "never this"
        ("With VADER, sentiment analysis is the shit!", 0.0, 0.583, 0.417, 0.6476),  // special idiom
        ("On the other hand, VADER is quite bad ass", 0.0, 0.423, 0.577, 0.802),
        ("Without a doubt, excellent idea.", 0.0, 0.341, 0.659, 0.7013),  // "without doubt"
        ("Roger Dodger is one of the least compelling variations on this theme.", 0.132, 0.868, 0.0, -0.1695),  // "least"
        ("good good but bad bad", 0.66, 0.069, 0.271, -0.8225),  // "but", repeated values
    ])
    func scoresEqualTheReference(text: String, negative: Double, neutral: Double, positive: Double, compound: Double) {
        let scores = SentimentAnalyzer.vader.scores(of: text)
        #expect(scores == SentimentScores(negative: negative, neutral: neutral, positive: positive, compound: compound))
    }

    @Test func emptyAndWordlessTextsAreNeutralZero() {
        #expect(SentimentAnalyzer.vader.scores(of: "") == SentimentScores(negative: 0, neutral: 0, positive: 0, compound: 0))
        #expect(SentimentAnalyzer.vader.scores(of: "   \t ").compound == 0)
        #expect(SentimentAnalyzer.vader.scores(of: "the table").neutral == 1)
    }
}
