using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Tests.Integration.Signing;

public sealed class SigningServiceTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_customer_signs_then_the_advisor_countersigns_and_the_contract_is_signed_once(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();

        var before = LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(session.Customer, session.SessionId));
        var customer = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var advisorView = LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(scenario.Advisor, session.SessionId));
        var advisor = LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));

        Assert.True(before.CallerCanSign);
        Assert.Equal(SignerRole.Customer, before.CallerRole);
        Assert.Equal([SignerRole.Customer, SignerRole.Advisor], before.RequiredSigners);
        Assert.False(customer.ContractSigned);
        Assert.Equal(ContractStatus.Review, customer.State.Status);
        Assert.Equal((SignerRole.Customer, "Chloé Dupont", SigningScenario.CustomerIp, "CustomerBrowser/1.0", SigningConsent.Sha256), (customer.Signature.Role, customer.Signature.FullName, customer.Signature.IpAddress, customer.Signature.UserAgent, customer.Signature.ConsentSha256));
        Assert.Equal("You have signed this contract.", customer.State.WhyCallerCannotSign);
        Assert.True(advisorView.CallerCanSign);
        Assert.True(advisorView.HasSigned(SignerRole.Customer));
        Assert.True(advisor.ContractSigned);
        Assert.Equal(ContractStatus.Signed, advisor.State.Status);
        Assert.Equal([SignerRole.Customer, SignerRole.Advisor], advisor.State.Signatures.Select(s => s.Role));

        var contract = await scenario.ContractAsync(session.ContractId);
        Assert.Equal(ContractStatus.Signed, contract.Status);
        Assert.Equal(advisor.Signature.SignedAt, contract.SignedAt);
        var signatures = await scenario.SignaturesAsync(session.ContractId);
        Assert.Equal(2, signatures.Count);
        var stored = signatures.Single(s => s.Role == SignerRole.Customer);
        Assert.Equal((session.SessionId, session.Contract.CustomerEmail), (stored.LiveSessionId, stored.SignerEmail));
        Assert.Equal(SignaturePngs.Drawn(), stored.Image);
        var hashes = System.Text.Json.JsonDocument.Parse(stored.DocumentHashes).RootElement.EnumerateArray().Select(d => (d.GetProperty("documentId").GetGuid(), d.GetProperty("sha256").GetString())).ToList();
        Assert.Equal(session.Contract.Documents.Select(d => (d.Id, (string?)d.Sha256)), hashes);

        var recorded = await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded);
        var signed = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned));
        Assert.Equal([AuditActor.CustomerRole, AuditActor.AdvisorRole], recorded.Select(e => e.ActorRole));
        Assert.Equal([SigningScenario.CustomerIp, SigningScenario.AdvisorIp], recorded.Select(e => e.IpAddress));
        var data = SigningScenario.DataOf(recorded[0]);
        Assert.Equal(("Customer", "Chloé Dupont", SigningConsent.Sha256, "CustomerBrowser/1.0"), (data.GetProperty("role").GetString(), data.GetProperty("fullName").GetString(), data.GetProperty("consentSha256").GetString(), data.GetProperty("userAgent").GetString()));
        Assert.Equal(2, data.GetProperty("documents").GetArrayLength());
        Assert.DoesNotContain(Convert.ToBase64String(SignaturePngs.Drawn())[..40], recorded[0].Data, StringComparison.Ordinal);
        Assert.False(data.TryGetProperty("image", out _));
        Assert.True(signed.Sequence > recorded[1].Sequence);
        Assert.True((await scenario.VerifyChainAsync(session.ContractId)).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Without_countersignature_the_customers_signature_signs_the_contract(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);

        var advisorView = LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(scenario.Advisor, session.SessionId));
        var signed = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var advisor = await scenario.AdvisorSignsAsync(session);

        Assert.Equal([SignerRole.Customer], advisorView.RequiredSigners);
        Assert.False(advisorView.CallerCanSign);
        Assert.Equal("Only the customer signs this contract; it needs no countersignature from the advisor.", advisorView.WhyCallerCannotSign);
        Assert.True(signed.ContractSigned);
        Assert.Equal(ContractStatus.Signed, (await scenario.ContractAsync(session.ContractId)).Status);
        Assert.Equal(ErrorKind.Forbidden, advisor.Error!.Kind);
        Assert.Equal("Only the customer signs this contract; it needs no countersignature from the advisor.", advisor.Error.Message);
        Assert.Single(await scenario.SignaturesAsync(session.ContractId));
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_repeat_by_the_same_signer_returns_the_signature_already_given(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();

        var first = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var again = LiveSessionScenario.Accepted(await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest("chloe dupont")));
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        var afterSigned = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        Assert.Equal(first.Signature, again.Signature);
        Assert.Equal(first.Signature, afterSigned.Signature);
        Assert.False(again.ContractSigned);
        Assert.False(afterSigned.ContractSigned);
        Assert.Equal(ContractStatus.Signed, afterSigned.State.Status);
        Assert.Equal(2, (await scenario.SignaturesAsync(session.ContractId)).Count);
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded), e => e.ActorRole == AuditActor.CustomerRole);
    }

    [Fact]
    public async Task The_advisor_signs_only_as_the_advisor_and_an_admin_never_signs()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();

        var asCustomer = await scenario.SignAsync(scenario.Advisor, session.SessionId, SigningScenario.AdvisorRequest("Chloé Dupont"));
        var admin = await scenario.SignAsync(new SessionCaller.Staff(scenario.Live.Admin, "Ada Admin"), session.SessionId, SigningScenario.AdvisorRequest("Ada Admin"));
        var other = await scenario.SignAsync(new SessionCaller.Staff(scenario.Live.OtherAdvisor, "Olga Other"), session.SessionId, SigningScenario.AdvisorRequest("Olga Other"));
        var adminState = LiveSessionScenario.Accepted(await scenario.Signing.GetContractStateAsync(scenario.Live.Admin, session.ContractId));
        var advisor = LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        var customerState = LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(session.Customer, session.SessionId));

        Assert.Equal("The name you typed does not match the name on your account (Victor Advisor). Type your own full name as it is written there.", asCustomer.Error!.Message);
        Assert.Equal(ErrorKind.Forbidden, admin.Error!.Kind);
        Assert.Equal(OperationError.NotFound("That live session"), other.Error);
        Assert.Null(adminState.CallerRole);
        Assert.Equal("Administrators never sign contracts; only the customer and, when asked, the contract's advisor sign.", adminState.WhyCallerCannotSign);
        Assert.Equal(SignerRole.Advisor, advisor.Signature.Role);
        Assert.False(advisor.ContractSigned);
        Assert.False(customerState.HasSigned(SignerRole.Customer));
        Assert.True(customerState.CallerCanSign);
        Assert.Equal([SignerRole.Advisor], (await scenario.SignaturesAsync(session.ContractId)).Select(s => s.Role));
    }

    [Fact]
    public async Task The_customer_signs_with_the_name_on_the_contract_a_real_drawing_and_the_current_consent()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();

        var wrongName = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest("Victor Advisor"));
        var noName = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest(" "));
        var blank = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest(png: SignaturePngs.Blank()));
        var notPng = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest(png: FixturePdfs.Read("empty.pdf")));
        var oldConsent = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest(consentSha256: new string('0', 64)));

        Assert.Equal(
            new OperationError(ErrorKind.Invalid, "The name you typed does not match the name on this contract (Chloé Dupont). Type your full name as it is written there; if it is wrong, ask your advisor."),
            wrongName.Error);
        Assert.Equal(new OperationError(ErrorKind.Invalid, "Type your full name to sign."), noName.Error);
        Assert.Equal(new OperationError(ErrorKind.Invalid, "The signature is blank; draw your signature to sign."), blank.Error);
        Assert.Equal(new OperationError(ErrorKind.Invalid, "The drawn signature must be a PNG image."), notPng.Error);
        Assert.Equal(
            new OperationError(ErrorKind.Invalid, "The consent text you agreed to is not the current one. Reload the page, read the consent again and sign."),
            oldConsent.Error);
        Assert.Empty(await scenario.SignaturesAsync(session.ContractId));
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Signing_is_refused_outside_review(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var contract = await scenario.Live.CreateContractWithDocumentAsync();
        var started = await scenario.Live.StartAsync(contract.Id);
        var linkId = (await scenario.Live.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Grant!.LinkId;
        var customer = new SessionCaller.Customer(linkId);

        var state = LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(customer, started.Session.Id));
        var draft = await scenario.SignAsync(customer, started.Session.Id, SigningScenario.CustomerRequest());

        Assert.False(state.CallerCanSign);
        Assert.Equal("The contract can be signed once the advisor has sent it for review.", state.WhyCallerCannotSign);
        Assert.Equal(new OperationError(ErrorKind.Conflict, "The contract can be signed once the advisor has sent it for review."), draft.Error);
        Assert.Empty(await scenario.SignaturesAsync(contract.Id));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_document_whose_bytes_differ_from_the_hash_pinned_at_review_cannot_be_signed(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        await using (var db = scenario.Database())
        {
            var document = session.Contract.Documents[1].Id;
            await db.Documents.Where(d => d.Id == document).ExecuteUpdateAsync(s => s.SetProperty(d => d.Sha256, new string('a', 64)));
        }

        var refused = await scenario.CustomerSignsAsync(session);

        Assert.Equal(
            new OperationError(ErrorKind.Conflict, "A document changed since the contract was sent for review, so it cannot be signed as reviewed. The advisor must send the contract for review again."),
            refused.Error);
        Assert.Empty(await scenario.SignaturesAsync(session.ContractId));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task After_a_signature_the_contract_cannot_go_back_to_draft(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        var refused = await scenario.Live.Contracts.UpdateAsync(scenario.Live.Advisor, session.ContractId, new ContractChanges(Status: ContractStatus.Draft));

        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Equal("Someone has already signed this contract, so it can no longer go back to draft: what was signed stays as it was signed.", refused.Error.Message);
        var contract = await scenario.ContractAsync(session.ContractId);
        Assert.Equal(ContractStatus.Review, contract.Status);
    }

    [Fact]
    public async Task Nobody_signs_in_an_ended_session_or_with_a_revoked_link()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var revoked = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.Live.Sessions.RevokeLinkAsync(scenario.Live.Advisor, revoked.SessionId));
        var ended = await scenario.StartInReviewAsync(customerEmail: "other@example.com");
        LiveSessionScenario.Accepted(await scenario.Live.Sessions.EndAsync(scenario.Live.Advisor, ended.SessionId));

        var withRevokedLink = await scenario.CustomerSignsAsync(revoked);
        var customerAfterEnd = await scenario.CustomerSignsAsync(ended);
        var advisorAfterEnd = await scenario.AdvisorSignsAsync(ended);

        Assert.Equal(new OperationError(ErrorKind.Forbidden, "Your link to this live session was revoked; ask your advisor for a new one."), withRevokedLink.Error);
        Assert.Equal(new OperationError(ErrorKind.Conflict, "This live session has ended."), customerAfterEnd.Error);
        Assert.Equal(new OperationError(ErrorKind.Conflict, "This live session has ended."), advisorAfterEnd.Error);
        Assert.Empty(await scenario.SignaturesAsync(revoked.ContractId));
        Assert.Empty(await scenario.SignaturesAsync(ended.ContractId));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task When_the_last_step_fails_nothing_of_the_signature_is_kept(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        await using (var db = scenario.Database())
        {
            // The contract.signed audit event, written after the signature row, cannot be inserted.
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres
                ? """
                  CREATE FUNCTION refuse_signed_event() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN IF NEW."Type" = 'contract.signed' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END; $$;
                  CREATE TRIGGER refuse_signed_event BEFORE INSERT ON "AuditEvents" FOR EACH ROW EXECUTE FUNCTION refuse_signed_event();
                  """
                : """
                  CREATE TRIGGER refuse_signed_event BEFORE INSERT ON "AuditEvents" WHEN NEW."Type" = 'contract.signed'
                  BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                  """);
        }

        var refused = await scenario.CustomerSignsAsync(session);

        Assert.Equal(ErrorKind.Unavailable, refused.Error!.Kind);
        Assert.Equal("The signature could not be recorded because the database did not answer; nothing was signed. Please try again in a moment.", refused.Error.Message);
        Assert.Empty(await scenario.SignaturesAsync(session.ContractId));
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded));
        var contract = await scenario.ContractAsync(session.ContractId);
        Assert.Equal((ContractStatus.Review, session.Contract.Version), (contract.Status, contract.Version));
    }

    [Fact]
    public async Task When_the_database_is_gone_signing_answers_try_again()
    {
        await using var scenario = await SigningScenario.CreateAsync(DatabaseProvider.Postgres);
        var session = await scenario.StartInReviewAsync();
        await scenario.Live.Installation.Postgres.DropAsync();

        var refused = await scenario.CustomerSignsAsync(session);

        Assert.Equal(ErrorKind.Unavailable, refused.Error!.Kind);
        Assert.EndsWith("Please try again in a moment.", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contract_page_shows_who_signed_and_the_drawn_images_to_its_advisor_and_admins_only()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        var advisor = LiveSessionScenario.Accepted(await scenario.Signing.GetContractStateAsync(scenario.Live.Advisor, session.ContractId));
        var image = LiveSessionScenario.Accepted(await scenario.Signing.GetSignatureImageAsync(scenario.Live.Admin, session.ContractId, SignerRole.Customer));
        var missing = await scenario.Signing.GetSignatureImageAsync(scenario.Live.Advisor, session.ContractId, SignerRole.Advisor);
        var other = await scenario.Signing.GetContractStateAsync(scenario.Live.OtherAdvisor, session.ContractId);
        var otherImage = await scenario.Signing.GetSignatureImageAsync(scenario.Live.OtherAdvisor, session.ContractId, SignerRole.Customer);
        LiveSessionScenario.Accepted(await scenario.Live.Sessions.EndAsync(scenario.Live.Advisor, session.SessionId));
        var withoutSession = LiveSessionScenario.Accepted(await scenario.Signing.GetContractStateAsync(scenario.Live.Advisor, session.ContractId));

        Assert.Equal((SignerRole?)SignerRole.Advisor, advisor.CallerRole);
        Assert.True(advisor.CallerCanSign);
        Assert.Equal("Chloé Dupont", Assert.Single(advisor.Signatures).FullName);
        Assert.Null(advisor.SealedDocumentId);
        Assert.Equal(SignaturePngs.Drawn(), image);
        Assert.Equal(OperationError.NotFound("The advisor's signature"), missing.Error);
        Assert.Equal(OperationError.NotFound("That contract"), other.Error);
        Assert.Equal(OperationError.NotFound("That contract"), otherImage.Error);
        Assert.Equal("Signatures are given in the live session; start it to sign.", withoutSession.WhyCallerCannotSign);
    }
}
