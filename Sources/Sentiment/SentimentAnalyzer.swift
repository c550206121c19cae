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
    private let words: WordTable
    /// Ids of the words the rules name.
    private let rule: RuleWords
    /// Special idioms and multi-word boosters, by the ids of their words.
    private let idioms: [Phrase: Double]
    private let boosterPhrases: [Phrase: Double]
    private let emoji: [Unicode.Scalar: String]
    /// One bit per code point below U+20000: whether it is an emoji with a description.
    private let emojiBits: [UInt64]

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
        // Split as UTF-8 bytes: a newline or a tab byte is always its own code point.
        func rows(_ text: String) -> [[String]] {
            text.utf8.split(separator: 0x0A).map { line in
                Substring(PythonText.strip(String(decoding: line, as: UTF8.self))).utf8
                    .split(separator: 0x09, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
            }
        }
        let entries = rows(lexicon).filter { $0.count >= 2 }
        var words = WordTable(capacity: entries.count + 200)
        for fields in entries {
            if let valence = Double(fields[1]) { words[words.insert(fields[0])].valence = valence }
        }
        for (word, booster) in VaderVocabulary.boosters where !word.contains(" ") { words[words.insert(word)].booster = booster }
        for word in VaderVocabulary.negations { words[words.insert(word)].isNegation = true }
        for word in VaderVocabulary.idiomWords { words[words.insert(word)].isIdiomWord = true }
        let rule = RuleWords(&words)
        func phrase(_ text: String) -> Phrase { Phrase(text.split(separator: " ").map { words.insert(String($0)) }) }
        idioms = Dictionary(
            uniqueKeysWithValues: VaderVocabulary.specialCases.filter { $0.key.contains(" ") }.map { (phrase($0.key), $0.value) })
        boosterPhrases = Dictionary(
            uniqueKeysWithValues: VaderVocabulary.boosters.filter { $0.key.contains(" ") }.map { (phrase($0.key), $0.value) })
        var descriptions: [Unicode.Scalar: String] = [:]
        for fields in rows(emojiDescriptions) where fields.count >= 2 {
            let emoji = fields[0].unicodeScalars
            if emoji.count == 1 { descriptions[emoji.first!] = fields[1] }
        }
        self.words = words
        self.rule = rule
        self.emoji = descriptions
        var bits = [UInt64](repeating: 0, count: 0x20000 / 64)
        for scalar in descriptions.keys where scalar.value < 0x20000 { bits[Int(scalar.value) / 64] |= 1 << (scalar.value % 64) }
        emojiBits = bits
    }

    private func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20000 ? emojiBits[Int(scalar.value) / 64] & (1 << (scalar.value % 64)) != 0 : emoji[scalar] != nil
    }

    /// The four scores of `text`.
    public func scores(of text: String) -> SentimentScores {
        var text = replacingEmoji(in: text)
        let (tokens, emphasis) = text.withUTF8 { Token.words(of: $0, table: words) }
        let upper = tokens.count { $0.isUpper }
        let isCapDifferential = 0 < tokens.count - upper && tokens.count - upper < tokens.count
        var sentiments: [Double] = []
        sentiments.reserveCapacity(tokens.count)
        for i in tokens.indices {
            if booster(tokens[i]) != nil || (i < tokens.count - 1 && tokens[i].id == rule.kind && tokens[i + 1].id == rule.of) {
                sentiments.append(0)
                continue
            }
            sentiments.append(valence(at: i, of: tokens, isCapDifferential: isCapDifferential))
        }
        butShift(&sentiments, tokens)
        return score(sentiments, emphasis: emphasis)
    }

    private func lexiconValence(_ token: Token) -> Double? { token.info.valence }
    private func booster(_ token: Token) -> Double? { token.info.booster }
    private func isIdiomWord(_ token: Token) -> Bool { token.info.isIdiomWord }

    /// Emoji of one code point become their descriptions, set off by a space from what precedes.
    private func replacingEmoji(in text: String) -> String {
        var text = text
        let hasMultibyte = text.withUTF8 { bytes in bytes.contains { $0 >= 0xC0 } }
        guard hasMultibyte, text.unicodeScalars.contains(where: isEmoji) else { return text }
        var result = String.UnicodeScalarView()
        var previousIsSpace = true
        for scalar in text.unicodeScalars {
            if isEmoji(scalar), let description = emoji[scalar] {
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
        guard let base = lexiconValence(item) else { return 0 }
        var valence = base
        // "no" before a lexicon word negates it instead of counting itself.
        if item.id == rule.no, i != tokens.count - 1, lexiconValence(tokens[i + 1]) != nil { valence = 0 }
        if (i > 0 && tokens[i - 1].id == rule.no) || (i > 1 && tokens[i - 2].id == rule.no)
            || (i > 2 && tokens[i - 3].id == rule.no && (tokens[i - 1].id == rule.or || tokens[i - 1].id == rule.nor))
        {
            valence = base * VaderVocabulary.negationScalar
        }
        if item.isUpper && isCapDifferential {
            valence += valence > 0 ? VaderVocabulary.capsIncrement : -VaderVocabulary.capsIncrement
        }
        for distance in 0..<3 where i > distance && lexiconValence(tokens[i - (distance + 1)]) == nil {
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
        guard var scalar = booster(token) else { return 0 }
        if valence < 0 { scalar *= -1 }
        if token.isUpper && isCapDifferential {
            scalar += valence > 0 ? VaderVocabulary.capsIncrement : -VaderVocabulary.capsIncrement
        }
        return scalar
    }

    /// Negation by the word `distance + 1` places before, with "never so/this" and "without doubt".
    private func negation(_ valence: Double, _ tokens: [Token], distance: Int, _ i: Int) -> Double {
        let word = { (offset: Int) in tokens[i - offset].id }
        switch distance {
        case 0:
            return tokens[i - 1].isNegation ? valence * VaderVocabulary.negationScalar : valence
        case 1:
            if word(2) == rule.never && (word(1) == rule.so || word(1) == rule.this) { return valence * 1.25 }
            if word(2) == rule.without && word(1) == rule.doubt { return valence }
            return tokens[i - 2].isNegation ? valence * VaderVocabulary.negationScalar : valence
        default:
            // As in the reference: `never (so|this) … or (so|this) right before` (operator precedence kept).
            if (word(3) == rule.never && (word(2) == rule.so || word(2) == rule.this))
                || (word(1) == rule.so || word(1) == rule.this)
            {
                return valence * 1.25
            }
            if word(3) == rule.without && (word(2) == rule.doubt || word(1) == rule.doubt) { return valence }
            return tokens[i - 3].isNegation ? valence * VaderVocabulary.negationScalar : valence
        }
    }

    /// Idioms around the word replace its valence; multi-word boosters before it add to it.
    private func specialIdioms(_ valence: Double, _ tokens: [Token], _ i: Int) -> Double {
        // Every idiom and multi-word booster is made of idiom words: skip the lookups without them.
        guard tokens[(i - 3)...min(i + 2, tokens.count - 1)].contains(where: isIdiomWord) else { return valence }
        let word = { (index: Int) in tokens[index].id }
        var valence = valence
        let oneZero = Phrase([word(i - 1), word(i)])
        let twoOneZero = Phrase([word(i - 2), word(i - 1), word(i)])
        let twoOne = Phrase([word(i - 2), word(i - 1)])
        let threeTwoOne = Phrase([word(i - 3), word(i - 2), word(i - 1)])
        let threeTwo = Phrase([word(i - 3), word(i - 2)])
        for sequence in [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo] {
            if let special = idioms[sequence] {
                valence = special
                break
            }
        }
        if tokens.count - 1 > i, let special = idioms[Phrase([word(i), word(i + 1)])] {
            valence = special
        }
        if tokens.count - 1 > i + 1, let special = idioms[Phrase([word(i), word(i + 1), word(i + 2)])] {
            valence = special
        }
        for gram in [threeTwoOne, threeTwo, twoOne] {
            if let booster = boosterPhrases[gram] { valence += booster }
        }
        return valence
    }

    /// "least" before a word negates it, except in "at least" and "very least".
    private func least(_ valence: Double, _ tokens: [Token], _ i: Int) -> Double {
        if i > 1, lexiconValence(tokens[i - 1]) == nil, tokens[i - 1].id == rule.least {
            if tokens[i - 2].id != rule.at && tokens[i - 2].id != rule.very { return valence * VaderVocabulary.negationScalar }
        } else if i > 0, lexiconValence(tokens[i - 1]) == nil, tokens[i - 1].id == rule.least {
            return valence * VaderVocabulary.negationScalar
        }
        return valence
    }

    /// Words before the first "but" count half, words after it one and a half times. Kept as
    /// the reference does it: each value is found again by `list.index` (its first equal
    /// value), so repeated values are scaled where they first occur.
    private func butShift(_ sentiments: inout [Double], _ tokens: [Token]) {
        guard let but = tokens.firstIndex(where: { $0.id == rule.but }) else { return }
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

    private func score(_ sentiments: [Double], emphasis: Emphasis) -> SentimentScores {
        guard !sentiments.isEmpty else { return SentimentScores(negative: 0, neutral: 0, positive: 0, compound: 0) }
        var sum = sentiments.reduce(0, +)
        let emphasis = emphasis.amplifier
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

/// The ids of the words VADER's rules name.
struct RuleWords: Sendable {
    let no, or, nor, kind, of, but, least, at, very, never, so, this, without, doubt: Int32

    init(_ words: inout WordTable) {
        no = words.insert("no"); or = words.insert("or"); nor = words.insert("nor")
        kind = words.insert("kind"); of = words.insert("of"); but = words.insert("but")
        least = words.insert("least"); at = words.insert("at"); very = words.insert("very")
        never = words.insert("never"); so = words.insert("so"); this = words.insert("this")
        without = words.insert("without"); doubt = words.insert("doubt")
    }
}

/// Two or three word ids; an unknown word (−1) never matches a phrase.
struct Phrase: Hashable, Sendable {
    let ids: (Int32, Int32, Int32)

    init(_ ids: [Int32]) {
        self.ids = (ids[0], ids[1], ids.count > 2 ? ids[2] : -2)
    }

    static func == (a: Phrase, b: Phrase) -> Bool { a.ids == b.ids }
    func hash(into hasher: inout Hasher) {
        hasher.combine(ids.0)
        hasher.combine(ids.1)
        hasher.combine(ids.2)
    }
}

/// `!` and `?` in the text: they amplify the sum of valences.
struct Emphasis {
    var exclamations = 0
    var questions = 0

    var amplifier: Double {
        Double(min(exclamations, 4)) * 0.292 + (questions > 1 ? (questions <= 3 ? Double(questions) * 0.18 : 0.96) : 0)
    }
}

/// One word of the text as the rules see it: punctuation stripped unless that leaves two
/// characters or fewer (emoticons stay whole), lowercased and looked up once.
struct Token {
    /// The word's id in the table, −1 when the rules do not know it.
    let id: Int32
    /// What the table says of it (empty for an unknown word).
    let info: WordTable.Info
    let isUpper: Bool
    /// A negation word or a word containing "n't".
    let isNegation: Bool

    /// Python's `text.split()` over UTF-8, each word made a token; and the text's `!` and `?`.
    static func words(of bytes: UnsafeBufferPointer<UInt8>, table: WordTable) -> ([Token], Emphasis) {
        table.withView { words(of: bytes, table: $0) }
    }

    private static func words(of bytes: UnsafeBufferPointer<UInt8>, table: WordTable.View) -> ([Token], Emphasis) {
        var tokens: [Token] = []
        var emphasis = Emphasis()
        var start: Int?
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "!") {
                emphasis.exclamations += 1
            } else if byte == UInt8(ascii: "?") {
                emphasis.questions += 1
            }
            let space = spaceLength(bytes, at: i)
            if space > 0 {
                if let first = start { tokens.append(Token(bytes, first..<i, table: table)) }
                start = nil
                i += space
            } else {
                if start == nil { start = i }
                i += 1
            }
        }
        if let first = start { tokens.append(Token(bytes, first..<bytes.count, table: table)) }
        return (tokens, emphasis)
    }

    /// The byte length of the Python whitespace character at `i`, 0 if none starts there
    /// (`PythonText.isSpace`, decoded from UTF-8 by hand: U+0085, U+00A0, U+1680,
    /// U+2000…U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
    @inline(__always)
    private static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let byte = bytes[i]
        if byte < 0x80 { return byte == 0x20 || byte &- 0x09 < 5 || byte &- 0x1C < 4 ? 1 : 0 }
        guard i + 1 < bytes.count else { return 0 }
        let second = bytes[i + 1]
        if byte == 0xC2 { return second == 0x85 || second == 0xA0 ? 2 : 0 }
        guard i + 2 < bytes.count else { return 0 }
        let third = bytes[i + 2]
        switch (byte, second) {
        case (0xE1, 0x9A): return third == 0x80 ? 3 : 0
        case (0xE2, 0x80): return (0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
        case (0xE2, 0x81): return third == 0x9F ? 3 : 0
        case (0xE3, 0x80): return third == 0x80 ? 3 : 0
        default: return 0
        }
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, table: WordTable.View) {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Token.isPunctuation(bytes[lower]) { lower += 1 }
        while upper > lower, Token.isPunctuation(bytes[upper - 1]) { upper -= 1 }
        // Two characters or fewer left: an emoticon like ":)" – keep it whole (more than 8
        // bytes are at least 3 characters).
        if upper - lower <= 8, bytes[lower..<upper].count(where: { $0 & 0xC0 != 0x80 }) <= 2 {
            (lower, upper) = (range.lowerBound, range.upperBound)
        }
        let word = UnsafeBufferPointer(rebasing: bytes[lower..<upper])
        var hasUpper = false, hasLower = false, hasApostrophe = false, isASCII = true
        let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: word.count) {
            buffer -> (Int32, WordTable.Info, Bool)? in
            for i in 0..<word.count {
                let byte = word[i]
                if byte >= 0x80 {
                    isASCII = false
                    return nil
                }
                if byte >= 0x41 && byte <= 0x5A {
                    hasUpper = true
                    buffer[i] = byte | 0x20
                } else {
                    if byte >= 0x61 && byte <= 0x7A { hasLower = true } else if byte == UInt8(ascii: "'") { hasApostrophe = true }
                    buffer[i] = byte
                }
            }
            return Token.lookUp(UnsafeBufferPointer(buffer), table, hasApostrophe)
        }
        if let result, isASCII {
            (id, info, isNegation) = result
            isUpper = hasUpper && !hasLower
        } else {
            let original = String(decoding: word, as: UTF8.self)
            isUpper = PythonText.isUpper(Substring(original).unicodeScalars)
            var lowered = original.lowercased()
            (id, info, isNegation) = lowered.withUTF8 { Token.lookUp($0, table, $0.contains(UInt8(ascii: "'"))) }
        }
    }

    private static func lookUp(
        _ lower: UnsafeBufferPointer<UInt8>, _ table: WordTable.View, _ hasApostrophe: Bool
    ) -> (Int32, WordTable.Info, Bool) {
        guard let id = table.id(of: lower) else { return (-1, WordTable.Info(), hasApostrophe && containsNT(lower)) }
        let info = table.infos[Int(id)]
        return (id, info, info.isNegation || (hasApostrophe && containsNT(lower)))
    }

    /// Whether the word contains "n't" (a contracted negation).
    private static func containsNT(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for i in 0...(bytes.count - 3)
        where bytes[i] == UInt8(ascii: "n") && bytes[i + 1] == UInt8(ascii: "'") && bytes[i + 2] == UInt8(ascii: "t") {
            return true
        }
        return false
    }

    /// `string.punctuation`.
    private static func isPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte)
            || (0x7B...0x7E).contains(byte)
    }
}
