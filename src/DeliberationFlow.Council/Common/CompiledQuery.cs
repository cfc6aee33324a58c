using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DeliberationFlow.Council.Common;

/// <summary>
/// A query of the hot path compiled once per model (<c>EF.CompileAsyncQuery</c>): building its expression tree and
/// finding it in EF Core's query cache on every call costs more CPU than many a query's rows. EF Core binds a compiled
/// query to the model of the first context that runs it, and a process may hold more than one model (the PostgreSQL
/// and the SQLite context; the tests start both), so each model gets its own.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(ICouncilDb db) => _byModel.GetValue(db.Context.Model, _ => compile());
}
