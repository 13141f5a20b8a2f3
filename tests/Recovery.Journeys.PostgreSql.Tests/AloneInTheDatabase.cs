namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// Tests that must have the database to themselves: VACUUM removes a deleted row only once no open transaction can
/// still see it, and the other test classes (running in parallel otherwise) keep transactions open in the same
/// database, a table lock held while claims queue up, for one. xUnit runs this collection after the parallel ones,
/// alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInTheDatabase
{
    public const string Name = "Alone in the database";
}
