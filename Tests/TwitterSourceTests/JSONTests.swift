import Testing
@testable import TwitterSource

/// The stream's JSON reader accepts and refuses exactly what Python's `json.loads` does (the
/// tutorials' parser), so "malformed" means the same here as in Spark's outputs.
@Suite("Reading JSON as Python does")
struct JSONTests {
    @Test(arguments: [
        #"{"a":1,}"#, "[1,2", "{\"a\":\"\t\"}", "01", "1.", ".5", #""\x""#, "tru", "[1] x", "", " ", #"{"a" 1}"#, "{'a':1}",
    ])
    func refusesWhatPythonRefuses(text: String) {
        #expect(JSON.parse(text) == nil)
    }

    @Test(arguments: ["NaN", "-Infinity", "1e5", "-0.5E-3", " [] ", #"{"a":{"b":[true,false,null]}}"#, #""\u00e9\/""#])
    func acceptsWhatPythonAccepts(text: String) {
        #expect(JSON.parse(text) != nil)
    }

    @Test func stringsNumbersAndRepeatedKeys() {
        let json = JSON.parse(#"{"id":1861000000000004594,"t":"caf\u00e9 \ud83d\ude00 \ud83d!","a":1,"a":2}"#)
        #expect(json?["id"]?.integerText == "1861000000000004594")
        #expect(json?["t"]?.string == "café 😀 \u{FFFD}!")
        #expect(json?["a"]?.integerText == "2")
        #expect(json?["missing"] == nil)
    }
}
