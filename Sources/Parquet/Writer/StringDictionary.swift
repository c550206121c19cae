/// The distinct strings of a column chunk and each value's index among them, when a
/// dictionary pays: at most half as many entries as values, and at most 1 MiB of them.
struct StringDictionary {
    /// Each value's entry.
    let indices: [UInt32]
    private let entries: [ArraySlice<UInt8>]

    var count: Int { entries.count }

    /// The dictionary of the strings `bytes[ends[i-1]..<ends[i]]`, or nil when it would not pay.
    init?(bytes: [UInt8], ends: [Int], maximumBytes: Int = 1 << 20) {
        guard !ends.isEmpty else { return nil }
        var positions: [ArraySlice<UInt8>: UInt32] = [:]
        var entries: [ArraySlice<UInt8>] = []
        var indices: [UInt32] = []
        indices.reserveCapacity(ends.count)
        var entryBytes = 0
        var start = 0
        for end in ends {
            let text = bytes[start..<end]
            start = end
            if let index = positions[text] {
                indices.append(index)
                continue
            }
            entryBytes += text.count + 4
            guard entries.count * 2 < ends.count + 2, entryBytes <= maximumBytes else { return nil }
            positions[text] = UInt32(entries.count)
            indices.append(UInt32(entries.count))
            entries.append(text)
        }
        guard entries.count * 2 <= ends.count else { return nil }
        self.indices = indices
        self.entries = entries
    }

    /// The dictionary page's values: PLAIN byte arrays.
    func plainValues() -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            appendLength(entry.count, to: &out)
            out.append(contentsOf: entry)
        }
        return out
    }
}
