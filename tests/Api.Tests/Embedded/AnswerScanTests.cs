using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>No answer the child-process classes received so far was a 500 or showed a stack frame, and the child never logged an unhandled exception.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class AnswerScanTests(EmbeddedService service)
{
    [Fact]
    public void No_answer_so_far_was_a_500_or_showed_a_stack_frame() =>
        AnswerScan.AssertNoServerErrorOrStackFrame(service.Transcript, service.Node);
}
