// The runs set the S1 delays of their process (S1Timing, read by every framework's S1) and load both cores: one at a
// time. Other test projects still run beside this one.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
