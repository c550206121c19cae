import Foundation

/// VADER sentiment scoring (Hutto & Gilbert, 2014), giving the scores vaderSentiment 3.3.2
/// gives, rule for rule: lexicon valences, boosters and dampeners scaled by distance, ALL-CAPS
/// emphasis in mixed-case text, negations ("n't", "never so", "without doubt", "least", "no"),
/// the "but" shift, "kind of", special idioms, `!` and `?` amplification, emoji replaced by
/// their descriptions, normalisation `x / √(x² + 15)` and Python's rounding.
///
/// ```swift
/// let scores = SentimentAnalyzer.vader.scores(of: "VADER is smart, handsome, and funny.")
/// scores.compound   // 0.8316
/// ```
///
/// An analyzer is immutable: share one across threads and partitions.
public struct SentimentAnalyzer: Sendable {
    private let lexicon: [LexiconKey: Double]
    private let emoji: [Unicode.Scalar: String]

    /// The analyzer with VADER's own lexicon and emoji descriptions (vaderSentiment 3.3.2,
    /// MIT licence: see `Resources/PROVENANCE.md`), loaded once.
    public static let vader: SentimentAnalyzer = {
        func resource(_ name: String) -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: "txt"),
                  let text = try? String(contentsOf: url, encoding: .utf8)
            else { fatalError("the Sentiment module's resource \(name).txt is missing from its bundle") }
            return text
        }
        return SentimentAnalyzer(lexicon: resource("vader_lexicon"), emojiDescriptions: resource("emoji_utf8_lexicon"))
    }()

    /// An analyzer over your own lexicon, in VADER's file formats.
    /// - Parameters:
    ///   - lexicon: lines `token<TAB>mean valence<TAB>…`.
    ///   - emojiDescriptions: lines `emoji<TAB>description`; emoji of one code point are replaced by their description.
    public init(lexicon: String, emojiDescriptions: String) {
        // As the reference reads them: each line stripped of whitespace, then split on tabs.
        func rows(_ text: String) -> [[String]] {
            text.unicodeScalars.split(separator: "\n").map { line in
                PythonText.strip(String(String.UnicodeScalarView(line))).split(separator: "\t", omittingEmptySubsequences: false)
                    .map { String(String.UnicodeScalarView($0)) }
            }
        }
        var valences: [LexiconKey: Double] = [:]
        for fields in rows(lexicon) where fields.count >= 2 {
            if let valence = Double(fields[1]) { valences[LexiconKey(fields[0])] = valence }
        }
        var descriptions: [Unicode.Scalar: String] = [:]
        for fields in rows(emojiDescriptions) where fields.count >= 2 {
            let emoji = fields[0].unicodeScalars
            if emoji.count == 1 { descriptions[emoji.first!] = fields[1] }
        }
        self.lexicon = valences
        self.emoji = descriptions
    }

    /// The four scores of `text`.
    public func scores(of text: String) -> SentimentScores {
        let text = replacingEmoji(in: text)
        let tokens = PythonText.split(PythonText.strip(text)).map { Token($0, lexicon: lexicon) }
        let isCapDifferential = {
            let upper = tokens.count { $0.isUpper }
            return 0 < tokens.count - upper && tokens.count - upper < tokens.count
        }()
        var sentiments: [Double] = []
        sentiments.reserveCapacity(tokens.count)
        for i in tokens.indices {
            if VaderVocabulary.boosters[tokens[i].lower] != nil
                || (i < tokens.count - 1 && tokens[i].lower == "kind" && tokens[i + 1].lower == "of") {
                sentiments.append(0)
                continue
            }
            sentiments.append(valence(at: i, of: tokens, isCapDifferential: isCapDifferential))
        }
        butShift(&sentiments, tokens)
        return score(sentiments, text: text)
    }

    /// Emoji of one code point become their descriptions, set off by a space from what precedes.
    private func replacingEmoji(in text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x80 && emoji[$0] != nil }) else { return text }
        var result = String.UnicodeScalarView()
        var previousIsSpace = true
        for scalar in text.unicodeScalars {
            if let description = emoji[scalar] {
                if !previousIsSpace { result.append(" ") }
                result.append(contentsOf: description.unicodeScalars)
                previousIsSpace = false
            } else {
                result.append(scalar)
                previousIsSpace = scalar == " "
            }
        }
        return String(result)
    }

    /// The valence of token `i` after the rules that look at its neighbours.
    private func valence(at i: Int, of tokens: [Token], isCapDifferential: Bool) -> Double {
        let item = tokens[i]
        guard let base = item.valence else { return 0 }
        var valence = base
        // "no" before a lexicon word negates it instead of counting itself.
        if item.lower == "no", i != tokens.count - 1, tokens[i + 1].valence != nil { valence = 0 }
        if (i > 0 && tokens[i - 1].lower == "no") || (i > 1 && tokens[i - 2].lower == "no")
            || (i > 2 && tokens[i - 3].lower == "no" && (tokens[i - 1].lower == "or" || tokens[i - 1].lower == "nor")) {
            valence = base * VaderVocabulary.negationScalar
        }
        if item.isUpper && isCapDifferential {
            valence += valence > 0 ? VaderVocabulary.capsIncrement : -VaderVocabulary.capsIncrement
        }
        for distance in 0..<3 where i > distance && tokens[i - (distance + 1)].valence == nil {
            var scalar = boost(tokens[i - (distance + 1)], valence: valence, isCapDifferential: isCapDifferential)
            if distance == 1 && scalar != 0 { scalar *= 0.95 }
            if distance == 2 && scalar != 0 { scalar *= 0.9 }
            valence += scalar
            valence = negation(valence, tokens, distance: distance, i)
            if distance == 2 { valence = specialIdioms(valence, tokens, i) }
        }
        return least(valence, tokens, i)
    }

    /// What a booster or dampener before a word adds to its valence.
    private func boost(_ token: Token, valence: Double, isCapDifferential: Bool) -> Double {
        guard var scalar = VaderVocabulary.boosters[token.lower] else { return 0 }
        if valence < 0 { scalar *= -1 }
        if token.isUpper && isCapDifferential {
            scalar += valence > 0 ? VaderVocabulary.capsIncrement : -VaderVocabulary.capsIncrement
        }
        return scalar
    }

    private func isNegation(_ token: Token) -> Bool {
        VaderVocabulary.negations.contains(token.lower) || token.lower.contains("n't")
    }

    /// Negation by the word `distance + 1` places before, with "never so/this" and "without doubt".
    private func negation(_ valence: Double, _ tokens: [Token], distance: Int, _ i: Int) -> Double {
        let word = { (offset: Int) in tokens[i - offset].lower }
        switch distance {
        case 0:
            return isNegation(tokens[i - 1]) ? valence * VaderVocabulary.negationScalar : valence
        case 1:
            if word(2) == "never" && (word(1) == "so" || word(1) == "this") { return valence * 1.25 }
            if word(2) == "without" && word(1) == "doubt" { return valence }
            return isNegation(tokens[i - 2]) ? valence * VaderVocabulary.negationScalar : valence
        default:
            // As in the reference: `never (so|this) … or (so|this) right before` (operator precedence kept).
            if (word(3) == "never" && (word(2) == "so" || word(2) == "this")) || (word(1) == "so" || word(1) == "this") {
                return valence * 1.25
            }
            if word(3) == "without" && (word(2) == "doubt" || word(1) == "doubt") { return valence }
            return isNegation(tokens[i - 3]) ? valence * VaderVocabulary.negationScalar : valence
        }
    }

    /// Idioms around the word replace its valence; multi-word boosters before it add to it.
    private func specialIdioms(_ valence: Double, _ tokens: [Token], _ i: Int) -> Double {
        let word = { (index: Int) in tokens[index].lower }
        var valence = valence
        let oneZero = word(i - 1) + " " + word(i)
        let twoOneZero = word(i - 2) + " " + word(i - 1) + " " + word(i)
        let twoOne = word(i - 2) + " " + word(i - 1)
        let threeTwoOne = word(i - 3) + " " + word(i - 2) + " " + word(i - 1)
        let threeTwo = word(i - 3) + " " + word(i - 2)
        for sequence in [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo] {
            if let special = VaderVocabulary.specialCases[sequence] {
                valence = special
                break
            }
        }
        if tokens.count - 1 > i, let special = VaderVocabulary.specialCases[word(i) + " " + word(i + 1)] {
            valence = special
        }
        if tokens.count - 1 > i + 1, let special = VaderVocabulary.specialCases[word(i) + " " + word(i + 1) + " " + word(i + 2)] {
            valence = special
        }
        for gram in [threeTwoOne, threeTwo, twoOne] {
            if let booster = VaderVocabulary.boosters[gram] { valence += booster }
        }
        return valence
    }

    /// "least" before a word negates it, except in "at least" and "very least".
    private func least(_ valence: Double, _ tokens: [Token], _ i: Int) -> Double {
        if i > 1, tokens[i - 1].valence == nil, tokens[i - 1].lower == "least" {
            if tokens[i - 2].lower != "at" && tokens[i - 2].lower != "very" { return valence * VaderVocabulary.negationScalar }
        } else if i > 0, tokens[i - 1].valence == nil, tokens[i - 1].lower == "least" {
            return valence * VaderVocabulary.negationScalar
        }
        return valence
    }

    /// Words before the first "but" count half, words after it one and a half times. Kept as
    /// the reference does it: each value is found again by `list.index` (its first equal
    /// value), so repeated values are scaled where they first occur.
    private func butShift(_ sentiments: inout [Double], _ tokens: [Token]) {
        guard let but = tokens.firstIndex(where: { $0.lower == "but" }) else { return }
        for index in sentiments.indices {
            let sentiment = sentiments[index]
            guard let first = sentiments.firstIndex(of: sentiment) else { continue }
            if first < but {
                sentiments[first] = sentiment * 0.5
            } else if first > but {
                sentiments[first] = sentiment * 1.5
            }
        }
    }

    private func score(_ sentiments: [Double], text: String) -> SentimentScores {
        guard !sentiments.isEmpty else { return SentimentScores(negative: 0, neutral: 0, positive: 0, compound: 0) }
        var sum = sentiments.reduce(0, +)
        var exclamations = 0, questions = 0
        for scalar in text.unicodeScalars {
            if scalar == "!" { exclamations += 1 } else if scalar == "?" { questions += 1 }
        }
        let emphasis = Double(min(exclamations, 4)) * 0.292 + (questions > 1 ? (questions <= 3 ? Double(questions) * 0.18 : 0.96) : 0)
        if sum > 0 { sum += emphasis } else if sum < 0 { sum -= emphasis }
        let compound = min(1, max(-1, sum / (sum * sum + 15).squareRoot()))

        var positive = 0.0, negative = 0.0, neutral = 0
        for sentiment in sentiments {
            if sentiment > 0 { positive += sentiment + 1 }
            if sentiment < 0 { negative += sentiment - 1 }
            if sentiment == 0 { neutral += 1 }
        }
        if positive > abs(negative) { positive += emphasis } else if positive < abs(negative) { negative -= emphasis }
        let total = positive + abs(negative) + Double(neutral)
        return SentimentScores(
            negative: PythonText.round(abs(negative / total), 3),
            neutral: PythonText.round(abs(Double(neutral) / total), 3),
            positive: PythonText.round(abs(positive / total), 3),
            compound: PythonText.round(compound, 4))
    }
}

/// One word of the text as the rules see it: punctuation stripped unless that leaves two
/// characters or fewer (emoticons stay whole), lowercased, its valence looked up once.
private struct Token {
    let isUpper: Bool
    let lower: String
    let valence: Double?

    init(_ raw: Substring.UnicodeScalarView, lexicon: [LexiconKey: Double]) {
        var word = raw
        while let first = word.first, PythonText.isPunctuation(first) { word.removeFirst() }
        while let last = word.last, PythonText.isPunctuation(last) { word.removeLast() }
        if word.count <= 2 { word = raw }
        isUpper = PythonText.isUpper(word)
        lower = String(word).lowercased()
        valence = lexicon[LexiconKey(lower)]
    }
}

/// A lexicon entry's text, compared by code points (as Python compares strings), not by
/// Swift's canonical equivalence.
private struct LexiconKey: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: LexiconKey, rhs: LexiconKey) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
