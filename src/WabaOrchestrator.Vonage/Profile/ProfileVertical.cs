using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Profile;

/// <summary>A business profile's industry, as WhatsApp names it. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<ProfileVertical>))]
public readonly record struct ProfileVertical(string Value) : IStringValue<ProfileVertical>
{
    public static ProfileVertical Automotive { get; } = new("Automotive");

    public static ProfileVertical BeautySpaAndSalon { get; } = new("Beauty, Spa and Salon");

    public static ProfileVertical ClothingAndApparel { get; } = new("Clothing and Apparel");

    public static ProfileVertical Education { get; } = new("Education");

    public static ProfileVertical Entertainment { get; } = new("Entertainment");

    public static ProfileVertical EventPlanningAndService { get; } = new("Event Planning and Service");

    public static ProfileVertical FinanceAndBanking { get; } = new("Finance and Banking");

    public static ProfileVertical FoodAndGrocery { get; } = new("Food and Grocery");

    public static ProfileVertical PublicService { get; } = new("Public Service");

    public static ProfileVertical HotelAndLodging { get; } = new("Hotel and Lodging");

    public static ProfileVertical MedicalAndHealth { get; } = new("Medical and Health");

    public static ProfileVertical NonProfit { get; } = new("Non-profit");

    public static ProfileVertical ProfessionalServices { get; } = new("Professional Services");

    public static ProfileVertical ShoppingAndRetail { get; } = new("Shopping and Retail");

    public static ProfileVertical TravelAndTransportation { get; } = new("Travel and Transportation");

    public static ProfileVertical Restaurant { get; } = new("Restaurant");

    public static ProfileVertical Other { get; } = new("Other");

    public static IReadOnlyList<ProfileVertical> Known { get; } = [Automotive, BeautySpaAndSalon, ClothingAndApparel, Education, Entertainment, EventPlanningAndService, FinanceAndBanking, FoodAndGrocery, PublicService, HotelAndLodging, MedicalAndHealth, NonProfit, ProfessionalServices, ShoppingAndRetail, TravelAndTransportation, Restaurant, Other];

    public static ProfileVertical From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
