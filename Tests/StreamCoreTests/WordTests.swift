import StreamCore
import StreamTestSupport
import Testing

@Suite("Words and lines")
struct WordTests {
    @Test func splitsLikePythonStrSplit() {
        let line = "  a\tb\u{3000}c\u{00A0}d\u{1C}e\u{2009}f  \r\n"
        #expect(Word.split(line).map(\.text) == ["a", "b", "c", "d", "e", "f"])
        #expect(Word.split("").isEmpty)
        #expect(Word.split(" \t ").isEmpty)
    }

    @Test func canonicallyEquivalentSpellingsStayDistinctKeys() {
        let composed = Word("\u{E9}t\u{E9}")
        let decomposed = Word("e\u{301}te\u{301}")
        #expect(composed.text == decomposed.text)  // Swift's String equality merges them…
        #expect(composed != decomposed)  // …Spark's keys do not.
        #expect(Set([composed, decomposed]).count == 2)
        #expect(decomposed < composed)  // code-point order: "e" < "é"
    }

    @Test func aCombiningMarkAfterASpaceStartsAWord() {
        #expect(Word.split("a \u{301}b").map(\.text.unicodeScalars.count) == [1, 2])
    }

    @Test func lineFramingIgnoresChunkBoundaries() {
        var framer = LineFramer(maxLineBytes: 5)
        var lines: [String] = []
        var rejected: [String] = []
        let collect: (Result<String, LineFramer.Rejection>, ArraySlice<UInt8>) -> Void = { result, _ in
            switch result {
            case .success(let line): lines.append(line)
            case .failure(let reason): rejected.append("\(reason)")
            }
        }
        for chunk in ["ab", "c\r", "\nde", "f\n123456789", "0\nxy"] { framer.append(Array(chunk.utf8), collect) }
        framer.finish(collect)
        #expect(lines == ["abc", "def", "xy"])
        #expect(rejected == ["line longer than 5 bytes"])
    }

    @Test func wordsCarryAHashThatAgreesWithEquality() {
        let tokens = Word.split(
            "été e\u{301}te\u{301} été https://t.co/a-long-link-of-many-bytes https://t.co/a-long-link-of-many-bytes")
        #expect(tokens[0] == tokens[2] && tokens[0].hashValue == tokens[2].hashValue)
        #expect(tokens[0] != tokens[1])  // NFC and NFD stay two keys
        #expect(tokens[3] == tokens[4] && tokens[3].hashValue == tokens[4].hashValue)
        #expect(Set(tokens).count == 3)
        #expect(Dictionary(tokens.map { ($0, 1) }, uniquingKeysWith: +)[Word("été")] == 2)
        #expect(Word("a") != Word("b") && Word("ab") != Word("ba"))
    }

    /// Words of up to 23 UTF-8 bytes are kept in place, longer ones in an array: equality,
    /// hashing and code-point order must agree across that line, and with `String`'s bytes.
    @Test func wordsOrderByTheirBytesWhateverTheirLength() {
        let texts = [
            "", "a", "a\u{0}", "ab", "abcdefgh", "abcdefghi", "abcdefghijklmn", "abcdefghijklmno",
            "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnp", "b", "\u{7F}",
            "\u{E9}", "e\u{301}", "\u{FFFF}", "\u{1F600}", "https://t.co/a-long-link-of-many-bytes",
            "abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvx",
            "abcdefghijklmnopqrstuvwy", "https://t.co/0123456789", "https://t.co/012345678", "https://t.co/0123456789a",
        ]
        let words = texts.map { Word($0) }
        #expect(words.map(\.text) == texts)
        #expect(words.map(\.utf8Count) == texts.map(\.utf8.count))
        #expect(words.sorted().map(\.text) == texts.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for (i, word) in words.enumerated() {
            #expect(Word(texts[i]) == word && Word(texts[i]).hashValue == word.hashValue)
            #expect(words.filter { $0 == word }.count == 1)
        }
        #expect(Set(words).count == texts.count)
        #expect(Word("#swift").hasPrefix("#") && !Word("swift").hasPrefix("#") && !Word("").hasPrefix("#"))
        #expect(Word("abcdefghijklmnopq").hasPrefix("abcdefghijklmnop") && !Word("ab").hasPrefix("abc"))
    }

    /// The tokenizer finds whitespace sixty-four bytes at a time, reads the last partial block
    /// eight bytes at a time, and loads short words as integers; these lines put every kind
    /// of separator and letter at every offset of those blocks (a word or a three-byte space
    /// across two of them), and at the very end of the line, against a plain
    /// scalar-by-scalar split.
    @Test func tokenizingAgreesWithAScalarByScalarSplitAtEveryOffset() {
        let whitespace: [Character] = [
            " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{1C}", "\u{1F}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}",
            "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
        ]
        let letters: [Character] = [
            "a", "Z", "!", "~", "\u{0}", "\u{8}", "\u{E}", "\u{7F}", "é", "ü", "\u{2030}", "\u{3001}", "中", "😀", "#", "\u{200B}",
        ]
        let isSpace = Set(whitespace.flatMap(\.unicodeScalars))
        var random = SplitMix(seed: 42)
        for _ in 0..<5_000 {
            var line = ""
            for _ in 0..<random.next(upTo: random.next(upTo: 2) == 0 ? 40 : 160) {
                let pool = random.next(upTo: 4) == 0 ? whitespace : letters
                line.append(pool[random.next(upTo: pool.count)])
            }
            var expected: [String] = []
            var current = ""
            for scalar in line.unicodeScalars {
                if isSpace.contains(scalar) {
                    if !current.isEmpty { expected.append(current) }
                    current = ""
                } else {
                    current.unicodeScalars.append(scalar)
                }
            }
            if !current.isEmpty { expected.append(current) }
            let words = Word.split(line)
            #expect(words.map(\.text) == expected, "line \(Array(line.unicodeScalars))")
            #expect(words == expected.map { Word($0) })  // loaded or copied, the same word and hash
            #expect(words.map(\.hashValue) == expected.map { Word($0).hashValue })
        }
    }
}
