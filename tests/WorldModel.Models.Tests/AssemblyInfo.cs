// libtorch's seed, thread pool and the allocator tuning are process-wide: model tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
