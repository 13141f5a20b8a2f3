using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class ValidationTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    private static void ShouldFail(Func<object> act, string journey, string? step, string problem)
    {
        var error = act.Should().Throw<JourneyDefinitionException>().Which;
        error.JourneyName.Should().Be(journey);
        error.StepId.Should().Be(step);
        error.Message.Should().StartWith(step is null ? $"Journey '{journey}': " : $"Journey '{journey}', step '{step}': ");
        error.Message.Should().Contain(problem);
    }

    [Fact]
    public void After_ZeroDelay_FailsNamingTheStep() =>
        ShouldFail(() => Checkout().After(Duration.Zero).Push("first", p => p.Body("x")), "checkout-recovery", "first", "After(0s) needs a positive delay");

    [Fact]
    public void After_NegativeDelay_FailsNamingTheStep() =>
        ShouldFail(() => Checkout().Push(p => p.Body("x")).After(Duration.FromMinutes(-5)).Push(p => p.Body("y")), "checkout-recovery", "push-2", "needs a positive delay");

    [Fact]
    public void AfterStart_ZeroDelay_Fails() =>
        ShouldFail(() => Checkout().AfterStart(Duration.Zero).Sms(s => s.Text("x")), "checkout-recovery", "sms-1", "needs a positive delay");

    [Fact]
    public void AfterStart_BeforeAnEarlierStep_Fails() =>
        ShouldFail(
            () => Checkout().AfterStart(1.Hours()).Push(p => p.Body("x")).AfterStart(5.Minutes()).Email("late", m => m.Subject("s").TextBody("t")),
            "checkout-recovery",
            "late",
            "would be due before the previous step 'push-1'");

    [Fact]
    public void After_Twice_WithoutAStepBetween_Fails() =>
        ShouldFail(() => Checkout().After(5.Minutes()).After(1.Hours()), "checkout-recovery", "#1", "After(1h) follows After(5m) without a step");

    [Fact]
    public void Build_WithATrailingAfter_Fails() =>
        ShouldFail(() => Checkout().Push(p => p.Body("x")).After(1.Hours()).Build(), "checkout-recovery", null, "After(1h) after the last step 'push-1' is not followed by a step");

    [Fact]
    public void Build_WithoutSteps_Fails() =>
        ShouldFail(() => Checkout().Build(), "checkout-recovery", null, "it has no steps");

    [Fact]
    public void Build_WithoutCorrelationKey_Fails() =>
        ShouldFail(() => Journey.When<CheckoutAbandoned>().Named("j").Do((_, _) => ValueTask.CompletedTask).Build(), "j", null, "call CorrelateBy");

    [Fact]
    public void Build_MessageWithoutCustomer_Fails() =>
        ShouldFail(() => Journey.When<CheckoutAbandoned>().Named("j").CorrelateBy(e => e.OrderId).Push(p => p.Body("x")).Build(), "j", "push-1", "names no customer");

    [Fact]
    public void DuplicateStepIds_Fail() =>
        ShouldFail(() => Checkout().Push("reminder", p => p.Body("x")).Then().After(1.Hours()).Email("reminder", m => m.Subject("s").TextBody("t")), "checkout-recovery", "reminder", "another step already has this id");

    [Fact]
    public void DefaultStepIds_SkipIdsTakenExplicitly()
    {
        var journey = Checkout().Push("push-2", p => p.Body("x")).Push(p => p.Body("y")).Push(p => p.Body("z")).Build();

        journey.Steps.Select(s => s.Id).Should().Equal("push-2", "push-3", "push-4");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public void InvalidStepId_Fails(string id) =>
        ShouldFail(() => Checkout().Push(id, p => p.Body("x")), "checkout-recovery", id, "the step id is invalid");

    [Theory]
    [InlineData("")]
    [InlineData("checkout recovery")]
    public void InvalidJourneyName_Fails(string name) =>
        ShouldFail(() => Checkout().Named(name), "checkout-recovery", null, $"the name '{name}' is invalid");

    [Fact]
    public void Version_BelowOne_Fails() =>
        ShouldFail(() => Checkout().Version(0), "checkout-recovery", null, "the version must be positive");

    [Fact]
    public void TemplateSyntaxError_FailsNamingStepAndField() =>
        ShouldFail(() => Checkout().Push("broken", p => p.Body("{{#each event.Items}}no end")).Build(), "checkout-recovery", "broken", "the body template is invalid: syntax error");

    [Fact]
    public void TemplateField_TheEventDoesNotHave_Fails() =>
        ShouldFail(
            () => Checkout().Email("mail", m => m.Subject("Order {{event.OrderNumber}}").TextBody("x")).Build(),
            "checkout-recovery",
            "mail",
            "the subject template is invalid: '{{event.OrderNumber}}' (line 1): CheckoutAbandoned has no field 'OrderNumber'");

    [Fact]
    public void TemplateField_InsideEach_IsCheckedAgainstTheItemType() =>
        ShouldFail(
            () => Checkout().Email(m => m.Subject("s").HtmlBody("<ul>\n{{#each event.Items}}<li>{{Nmae}}</li>{{/each}}</ul>")).Build(),
            "checkout-recovery",
            "email-1",
            "the HTML body template is invalid: '{{Nmae}}' (line 2): CartItem has no field 'Nmae'");

    [Fact]
    public void TemplateField_UnknownRoot_Fails() =>
        ShouldFail(() => Checkout().Sms(s => s.Text("{{name}}")).Build(), "checkout-recovery", "sms-1", "the model has no field 'name'");

    [Fact]
    public void TemplateField_UnknownComputedValue_Fails() =>
        ShouldFail(() => Checkout().Compute("minutesLeft", _ => 5).Sms(s => s.Text("{{values.minutesleft}}")).Build(), "checkout-recovery", "sms-1", "the journey computes no value 'minutesleft' (it has minutesLeft)");

    [Fact]
    public void TemplateHelper_NotRegistered_Fails() =>
        ShouldFail(() => Checkout().Sms(s => s.Text("{{shout event.Total}}")).Build(), "checkout-recovery", "sms-1", "calls 'shout', which is not a registered helper");

    [Fact]
    public void Template_ReportsEveryProblemAtOnce()
    {
        var error = FluentActions.Invoking(() => Checkout().Sms(s => s.Text("{{event.A}} {{customer.B}}")).Build())
            .Should().Throw<JourneyDefinitionException>().Which;

        error.Message.Should().Contain("CheckoutAbandoned has no field 'A'").And.Contain("Customer has no field 'B'");
    }

    [Fact]
    public void Template_ValidPaths_AreAccepted()
    {
        var build = () => Checkout()
            .Compute("left", _ => 1)
            .Email(m => m
                .Subject("{{event.orderId}} {{Customer.Name}} {{journey.elapsedMinutes}} {{now}} {{values.left}}")
                .HtmlBody("{{#each event.Items}}{{@index}} {{this.Name}} {{../event.OrderId}} {{@root.customer.email}} {{Price}}{{else}}none{{/each}}"
                    + "{{#with event.Customer}}{{Name}}{{/with}}{{#if customer.phone}}{{customer.phone}}{{/if}}{{! a comment }}{{{event.OrderId}}}"
                    + "{{customer.attributes.segment}} {{event.Items.length}} \\{{not a tag}}").AllowRawHtml())
            .Build();

        build.Should().NotThrow();
    }

    [Fact]
    public void Push_WithoutBody_Fails() =>
        ShouldFail(() => Checkout().Push(p => p.Title("t")), "checkout-recovery", "push-1", "a push needs a Body(...)");

    [Fact]
    public void Email_WithoutSubject_Fails() =>
        ShouldFail(() => Checkout().Email(m => m.TextBody("t")), "checkout-recovery", "email-1", "an e-mail needs a Subject(...)");

    [Fact]
    public void Email_WithoutBody_Fails() =>
        ShouldFail(() => Checkout().Email(m => m.Subject("s")), "checkout-recovery", "email-1", "an e-mail needs an HtmlBody(...) or a TextBody(...)");

    [Fact]
    public void Sms_WithoutText_Fails() =>
        ShouldFail(() => Checkout().Sms(_ => { }), "checkout-recovery", "sms-1", "an SMS needs a Text(...)");

    [Fact]
    public void ExitWhen_SameEventTwice_Fails() =>
        ShouldFail(() => Checkout().ExitWhen<OrderPaid>(e => e.OrderId).ExitWhen<OrderPaid>(e => e.OrderId), "checkout-recovery", null, "ExitWhen<OrderPaid> is declared twice");

    [Fact]
    public void Compute_SameNameTwice_Fails() =>
        ShouldFail(() => Checkout().Compute("x", _ => 1).Compute("x", _ => 2), "checkout-recovery", null, "the computed value 'x' is declared twice");

    [Fact]
    public void Compute_InvalidName_Fails() =>
        ShouldFail(() => Checkout().Compute("minutes-left", _ => 1), "checkout-recovery", null, "the computed value name 'minutes-left' is invalid");

    [Fact]
    public void PushData_SameKeyTwice_Fails() =>
        FluentActions.Invoking(() => Checkout().Push(p => p.Body("b").Data("k", "1").Data("k", "2")))
            .Should().Throw<ArgumentException>().WithMessage("The push data key 'k' is set twice.*");

    [Fact]
    public void Builder_AfterBuild_CannotBeReused()
    {
        var builder = Checkout().Push(p => p.Body("x"));
        builder.Build();

        builder.Invoking(b => b.Push(p => p.Body("y"))).Should().Throw<InvalidOperationException>()
            .WithMessage("Journey 'checkout-recovery' was already built; a JourneyBuilder builds once.*");
        builder.Invoking(b => b.Build()).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Builder_AfterAFailedBuild_CannotBeReused()
    {
        var builder = Checkout();
        builder.Invoking(b => b.Build()).Should().Throw<JourneyDefinitionException>();

        builder.Invoking(b => b.Push(p => p.Body("y"))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void NullArguments_AreRejected()
    {
        FluentActions.Invoking(() => Checkout().CorrelateBy(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Checkout().Push(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Checkout().Push(p => p.Body(null!))).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Checkout().Do(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Checkout().Build(null!)).Should().Throw<ArgumentNullException>();
    }
}
