// The open-model tests measure timing on a 2-core machine: run the tests one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
