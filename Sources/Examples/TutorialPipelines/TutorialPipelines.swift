public enum TutorialPipelines {}
