/// VADER's four scores of a text, rounded as vaderSentiment rounds them.
public struct SentimentScores: Sendable, Hashable, CustomStringConvertible {
    /// Share of the text that is negative, 0…1 (3 decimals).
    public var negative: Double
    /// Share that is neutral, 0…1 (3 decimals).
    public var neutral: Double
    /// Share that is positive, 0…1 (3 decimals).
    public var positive: Double
    /// The normalised sum of all valences, −1 (most negative) … +1 (most positive) (4 decimals):
    /// the one number to use. Conventional thresholds: ≥ 0.05 positive, ≤ −0.05 negative.
    public var compound: Double

    public init(negative: Double, neutral: Double, positive: Double, compound: Double) {
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.compound = compound
    }

    public var description: String { "{neg: \(negative), neu: \(neutral), pos: \(positive), compound: \(compound)}" }
}
