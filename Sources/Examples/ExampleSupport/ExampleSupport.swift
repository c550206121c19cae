public enum ExampleSupport {}
