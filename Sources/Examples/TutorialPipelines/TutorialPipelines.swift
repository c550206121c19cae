import Foundation
import StreamCore

/// Tutorial 001, part 1: counting the words of each batch of lines.
public enum NetworkWordCount {
    /// The name of the pipeline's output in replays.
    public static let outputName = "counts"

    /// `(word, count)` per batch, splitting lines as Python's `line.split()` does.
    public static func counts(_ lines: DStream<String>) -> DStream<(Word, Int)> {
        lines.words().map { ($0, 1) }.reduceByKey(+)
    }
}

/// Tutorial 001, part 2: the ten most used hashtags over a sliding window of tweet texts.
public enum HashtagTop10 {
    /// The name of the pipeline's output in replays.
    public static let outputName = "top10"

    /// Lowercased hashtags: the tokens of a line that start with `#`.
    public static func hashtags(_ line: String) -> [Word] {
        Word.split(line).compactMap { $0.hasPrefix("#") && $0.utf8Count > 1 ? Word($0.text.lowercased()) : nil }
    }

    /// The ten most frequent hashtags of the window, by count descending, ties by hashtag.
    /// - Throws: `StreamingError.invalidWindow` if `window` or `slide` is not a multiple of
    ///   the batch interval.
    public static func top10(_ lines: DStream<String>, window: Duration, slide: Duration? = nil) throws -> DStream<(Word, Int)> {
        try counts(lines, window: window, slide: slide).topByValue(10)
    }

    /// Every hashtag of the window with its count (what tutorial 001 registers as the table `tweets`).
    /// - Throws: `StreamingError.invalidWindow` if `window` or `slide` is not a multiple of
    ///   the batch interval.
    public static func counts(_ lines: DStream<String>, window: Duration, slide: Duration? = nil) throws -> DStream<(Word, Int)> {
        try lines.flatMap(hashtags).map { ($0, 1) }.reduceByKeyAndWindow(+, length: window, slide: slide)
    }
}

/// Tutorial 000's consumer: running word totals, ranked.
public enum RunningWordCount {
    /// The name of the pipeline's output in replays.
    public static let outputName = "totals"

    /// Every word's total since the start, by total descending, ties by word.
    /// - Important: Stateful: the context needs a checkpoint store.
    public static func totals(_ lines: DStream<String>) -> DStream<(Word, Int)> {
        NetworkWordCount.counts(lines)
            .updateStateByKey(name: "word-totals") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
            .sortedByValueDescending()
    }
}

/// Tutorial 003's split: posts about Data Science, AI, Machine Learning or Big Data go to one
/// topic, everything else to another.
public enum TopicSplit {
    /// Whether `text` is about Data Science / AI / Machine Learning / Big Data (as words or hashtags).
    public static func isAboutData(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if ["data science", "machine learning", "big data", "#datascience", "#machinelearning", "#bigdata"].contains(
            where: lowered.contains)
        {
            return true
        }
        return Word.split(lowered).contains { word in
            let bare = word.text.trimmingCharacters(in: .punctuationCharacters)
            return bare == "ai" || bare == "#ai"
        }
    }
}
