using System.Text.Json;
using Recovery.Journeys.AspNetCore.Dashboard;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("Margaux Vuilleumier")]
    [InlineData("Chemin des Grillons 14, 1205 Geneva")]
    [InlineData("+41 79 555 01 23")]
    [InlineData("margaux@example.ch")]
    [InlineData("Please gift-wrap it, it is for my mother")]
    [InlineData("fr")]
    public void TextsWithoutAKeptShape_AreMasked(string text) =>
        PersonalDataMask.MaskString(text, []).Should().Be(PersonalDataMask.Masked);

    [Theory]
    [InlineData("2026-11-20T09:00:00Z")]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T10:00:00+01 Europe/Zurich")]
    [InlineData("0:00:30:00")]
    [InlineData("PT30M")]
    [InlineData("Europe/Zurich")]
    [InlineData("fr-CH")]
    [InlineData("EUR")]
    public void DatesZonesCulturesAndCodes_AreKept(string text) =>
        PersonalDataMask.MaskString(text, []).Should().Be(text);

    [Fact]
    public void AnId_IsMaskedEvenInAKeptShape_AGuidKeepsItsFormat_AWebAddressKeepsItsHost()
    {
        PersonalDataMask.MaskString("EUR", ["EUR"]).Should().Be(PersonalDataMask.Masked);
        PersonalDataMask.MaskString("3f2504e0-4f89-11d3-9a0c-0305e82c3301", []).Should().Be("00000000-0000-0000-0000-000000000000");
        PersonalDataMask.MaskString("https://shop.example.com/cart/C-9?email=a@b.ch", []).Should().Be("https://shop.example.com/masked");
    }

    [Fact]
    public void Json_MasksStringsEverywhere_KeepsNumbersAndNames_ButNotANumericId()
    {
        const string Json = """{"orderId":"O-1","customerNumber":4711,"total":45.5,"paid":false,"customer":{"name":"Jonas"},"items":[{"name":"Pen","price":45.5}],"tags":["vip"],"note":null}""";

        var masked = JsonDocument.Parse(PersonalDataMask.MaskJson(Json, ["O-1", "4711"])).RootElement;

        masked.GetProperty("orderId").GetString().Should().Be(PersonalDataMask.Masked);
        masked.GetProperty("customerNumber").GetInt32().Should().Be(0);
        masked.GetProperty("total").GetDecimal().Should().Be(45.5m);
        masked.GetProperty("paid").GetBoolean().Should().BeFalse();
        masked.GetProperty("customer").GetProperty("name").GetString().Should().Be(PersonalDataMask.Masked);
        masked.GetProperty("items")[0].GetProperty("name").GetString().Should().Be(PersonalDataMask.Masked);
        masked.GetProperty("items")[0].GetProperty("price").GetDecimal().Should().Be(45.5m);
        masked.GetProperty("tags")[0].GetString().Should().Be(PersonalDataMask.Masked);
        masked.GetProperty("note").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
