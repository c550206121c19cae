/// Silver's derived columns: hashtags as the tutorial's `#(\w+)` matches, and named entities by
/// a small documented rule set (see Docs/Lake.md).
public enum TweetEnrichment {
    /// The `#(\w+)` matches of `text`, in order, lowercased, without `#` (`\w`: letters, digits,
    /// marks and `_`, as Python's `re` in Unicode mode).
    public static func hashtags(_ text: String) -> [String] {
        var tags: [String] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "#" else { i += 1; continue }
            var end = i + 1
            while end < scalars.count, isWord(scalars[end]) { end += 1 }
            if end > i + 1 {
                var tag = String.UnicodeScalarView()
                tag.append(contentsOf: scalars[(i + 1)..<end])
                tags.append(String(tag).lowercased())
            }
            i = max(end, i + 1)
        }
        return tags
    }

    /// Named entities: runs of capitalized words (`Big Data`, `Machine Learning`, `Zürich`) and
    /// acronyms of 2–5 capitals (`AI`, `NASA`), skipping the capitalized first word of a
    /// sentence when it stands alone, words after `@` or `#`, and common capitalized function words.
    public static func entities(_ text: String) -> [String] {
        var entities: [String] = []
        var run: [Substring] = []
        var sentenceStart = true
        var runStartsSentence = false
        func close() {
            defer { run = [] }
            guard !run.isEmpty, !(run.count == 1 && runStartsSentence && !isAcronym(run[0])) else { return }
            entities.append(run.joined(separator: " "))
        }
        for raw in text.split(whereSeparator: \.isWhitespace) {
            let word = raw.trimmingCharacters(in: .punctuation)
            let endsSentence = raw.last.map { ".!?".contains($0) } ?? false
            if !word.isEmpty, !raw.hasPrefix("@"), !raw.hasPrefix("#"), !stopwords.contains(word),
                isCapitalized(word) || isAcronym(word)
            {
                if run.isEmpty { runStartsSentence = sentenceStart }
                run.append(word)
            } else {
                close()
            }
            if raw.last.map({ ",;:".contains($0) }) == true || endsSentence { close() }
            sentenceStart = endsSentence
        }
        close()
        return entities
    }

    private static let stopwords: Set<Substring> = [
        "The", "A", "An", "And", "But", "Or", "I", "My", "We", "You", "It", "This",
        "That", "In", "On", "At", "To", "For", "Of", "RT", "Der", "Die", "Das", "Le", "La", "Les",
    ]

    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .spacingMark
    }

    private static func isCapitalized(_ word: Substring) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 2 else { return false }
        return word.dropFirst().allSatisfy { $0.isLowercase || $0 == "-" || $0 == "'" }
    }

    private static func isAcronym(_ word: Substring) -> Bool {
        (2...5).contains(word.count) && word.allSatisfy { $0.isUppercase && $0.isASCII && $0.isLetter } && word != "RT"
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: PunctuationSet) -> Substring {
        var word = self
        while let last = word.last, set.contains(last) { word = word.dropLast() }
        while let first = word.first, set.contains(first) { word = word.dropFirst() }
        return word
    }
}

private struct PunctuationSet {
    func contains(_ character: Character) -> Bool { character.isPunctuation || character.isSymbol }
}

extension PunctuationSet {
    static let punctuation = PunctuationSet()
}
