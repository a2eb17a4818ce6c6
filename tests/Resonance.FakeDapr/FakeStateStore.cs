namespace Resonance.FakeDapr;

/// <summary>A state store component of the fake cluster: its name, key prefix, and whether actors keep their state in it.</summary>
/// <param name="MultiMaxSize">
/// The most operations one transaction may hold, as a component that implements components-contrib's
/// <c>TransactionalStoreMultiMaxSize</c> says (DynamoDB and Cosmos DB: 100); daprd refuses a larger actor state
/// transaction. Null: no limit (Redis, PostgreSQL).
/// </param>
public sealed record FakeStateStore(string Name, KeyPrefix KeyPrefix = KeyPrefix.AppId, bool ActorStateStore = false, int? MultiMaxSize = null);
