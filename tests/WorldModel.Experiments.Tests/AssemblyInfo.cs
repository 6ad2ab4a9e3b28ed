// Experiments train with libtorch, whose seed and thread pool are process-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
