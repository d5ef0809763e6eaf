import type { z } from 'zod'
import { formSchema, text, type FieldErrors } from '../../web/forms.ts'
import type { StepUpInput } from './step-ups.ts'

/** What a step up asks, with its messages: the step-up page's form and a review's "step up" both read it. */
const FIELDS = {
  reason: text('Why the family needs social care', {
    max: 20_000,
    multiline: true,
    requiredMessage: 'Enter why the family needs children’s social care now',
  }),
  risks: text('The risks now', { max: 20_000, multiline: true, requiredMessage: 'Enter the risks to the child now, as you see them' }),
}

export const stepUpBody = formSchema(FIELDS)
export type StepUpBody = z.infer<typeof stepUpBody>

/** Reads a step up's two answers from a larger form, under the names it gives them, adding any errors. */
export function readStepUp(body: Record<string, string>, errors: FieldErrors, names: Record<keyof StepUpInput, string>): StepUpInput | null {
  const input: Partial<StepUpInput> = {}
  for (const key of ['reason', 'risks'] as const) {
    const read = FIELDS[key].safeParse(body[names[key]] ?? '')
    if (read.success) input[key] = read.data
    else errors[names[key]] = read.error.issues[0]!.message
  }
  return input.reason && input.risks ? (input as StepUpInput) : null
}
