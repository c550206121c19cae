import Foundation

/// Every word VADER's rules know — lexicon entries, boosters, negations and the words of
/// idioms — looked up by its lowercased UTF-8 bytes without making a `String`: one probe
/// per token of text. Keys compare by bytes (code points), as Python compares strings.
struct WordTable: Sendable {
    /// What the rules know of one word.
    struct Info: Sendable {
        var valence: Double?
        var booster: Double?
        var isNegation = false
        var isIdiomWord = false
    }

    private(set) var infos: [Info] = []
    private var arena: [UInt8] = []
    private var spans: [(start: Int, count: Int)] = []
    /// Open addressing: an index into `infos`, or −1.
    private var slots: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The word's id, adding it with empty `Info` if new.
    mutating func insert(_ word: String) -> Int32 {
        var word = word
        return word.withUTF8 { bytes in
            if let id = withView({ $0.id(of: bytes) }) { return id }
            let id = Int32(infos.count)
            infos.append(Info())
            spans.append((arena.count, bytes.count))
            arena.append(contentsOf: bytes)
            var slot = Self.hash(bytes) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = id
            return id
        }
    }

    /// Unsafe pointers to the table for the length of `body`: lookups without reference
    /// counting or bounds checks, for the tokens of one text.
    func withView<Result>(_ body: (View) -> Result) -> Result {
        slots.withUnsafeBufferPointer { slots in
            spans.withUnsafeBufferPointer { spans in
                arena.withUnsafeBufferPointer { arena in
                    infos.withUnsafeBufferPointer { infos in
                        body(View(slots: slots, spans: spans, arena: arena, infos: infos, mask: mask))
                    }
                }
            }
        }
    }

    /// The table seen through pointers valid inside `withView`.
    struct View {
        let slots: UnsafeBufferPointer<Int32>
        let spans: UnsafeBufferPointer<(start: Int, count: Int)>
        let arena: UnsafeBufferPointer<UInt8>
        let infos: UnsafeBufferPointer<Info>
        let mask: Int

        /// The id of the word with these bytes, nil if the rules do not know it.
        func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
            var slot = WordTable.hash(bytes) & mask
            while true {
                let id = slots[slot]
                if id < 0 { return nil }
                let span = spans[Int(id)]
                if span.count == bytes.count,
                    span.count == 0 || memcmp(arena.baseAddress! + span.start, bytes.baseAddress!, span.count) == 0
                {
                    return id
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// FNV-1a: the table is fixed, so crafted input can only make a lookup miss, not degrade it.
    fileprivate static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    subscript(id: Int32) -> Info {
        get { infos[Int(id)] }
        set { infos[Int(id)] = newValue }
    }
}
