using System.Text.Json.Serialization;

namespace Recovery.Journeys.Reports;

/// <summary>The report's JSON contract, generated at build time so that <see cref="JourneyReportExport.ToJson"/> needs no reflection.</summary>
[JsonSerializable(typeof(JourneyReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
