/// Deterministic tweet-like lines for demos and benchmarks: a Zipf-distributed vocabulary,
/// hashtags, mentions, links and a few non-ASCII words, so counts look like real traffic.
public struct TweetLikeText: Sequence, IteratorProtocol, Sendable {
    private var state: UInt64
    private let words: [String]
    private let hashtags: [String]
    private let wordWeights: [Double]
    private let tagWeights: [Double]

    /// - Parameter seed: the same seed gives the same lines.
    public init(seed: UInt64 = 42, vocabulary: Int = 5_000, hashtagCount: Int = 300) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        let syllables = ["ba", "zi", "ko", "ra", "mu", "te", "lo", "fi", "sa", "ne", "do", "ju", "été", "naïve", "über"]
        func name(_ i: Int) -> String {
            var n = i, text = ""
            repeat { text += syllables[n % syllables.count]; n /= syllables.count } while n > 0
            return text
        }
        words = (0..<vocabulary).map(name)
        hashtags =
            ["#swift", "#spark", "#bigdata", "#ai", "#ml", "#datascience"] + (0..<hashtagCount).map { "#" + name($0) + "tag" }
        wordWeights = TweetLikeText.zipf(words.count)
        tagWeights = TweetLikeText.zipf(hashtags.count)
    }

    public mutating func next() -> String? {
        let length = 6 + Int(random() % 14)
        var parts: [String] = []
        parts.reserveCapacity(length + 3)
        for _ in 0..<length { parts.append(words[pick(wordWeights)]) }
        for _ in 0..<Int(random() % 3) { parts.insert(hashtags[pick(tagWeights)], at: Int(random() % UInt64(parts.count))) }
        if random() % 4 == 0 { parts.insert("@" + words[Int(random() % 200)], at: 0) }
        if random() % 5 == 0 { parts.append("https://t.co/" + String(random() % 1_000_000, radix: 36)) }
        return parts.joined(separator: " ")
    }

    private mutating func random() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// An index drawn by the cumulative weights.
    private mutating func pick(_ cumulative: [Double]) -> Int {
        let target = Double(random() % 1_000_000) / 1_000_000 * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func zipf(_ count: Int) -> [Double] {
        var total = 0.0
        return (1...count).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }
}
