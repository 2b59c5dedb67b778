using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;

namespace Mitreden.Proposals.Api.Features.Documents;

/// <summary>
/// Where the bytes of documents live. The description (<see cref="DocumentRow"/>) is always in Proposals' database;
/// an object store can take the bytes instead of PostgreSQL by implementing this interface. Today they are in
/// PostgreSQL (the Helm chart's values note it where the proposals database is configured).
/// </summary>
public interface IDocumentStore
{
    /// <summary>Adds the bytes to the unit of work of <paramref name="db"/>: they are stored with the description, or not at all.</summary>
    void Add(ProposalsDb db, Guid documentId, byte[] bytes);

    Task<byte[]?> ReadAsync(ProposalsDb db, Guid documentId, CancellationToken ct);
}

/// <summary>The bytes in PostgreSQL (table document_contents), committed in the same transaction as the description.</summary>
public sealed class PostgresDocumentStore : IDocumentStore
{
    public void Add(ProposalsDb db, Guid documentId, byte[] bytes) =>
        db.DocumentContents.Add(new DocumentContent { DocumentId = documentId, Bytes = bytes });

    public async Task<byte[]?> ReadAsync(ProposalsDb db, Guid documentId, CancellationToken ct) =>
        await db.DocumentContents.AsNoTracking().Where(c => c.DocumentId == documentId).Select(c => c.Bytes).SingleOrDefaultAsync(ct);
}
