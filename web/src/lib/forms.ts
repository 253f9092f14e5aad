import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

/**
 * use:enhance callback for our forms: tracks `pending` for the submit button, and after a failed
 * submission moves focus to the first invalid field (or the form's error message) for keyboard and
 * screen-reader users.
 */
export function enhanceForm(setPending: (pending: boolean) => void, options: { reset?: boolean } = {}): SubmitFunction {
  return ({ formElement }) => {
    setPending(true);
    return async ({ result, update }) => {
      // Forms that edit saved values keep them; forms that add something (a comment) clear on success.
      await update({ reset: options.reset ?? false });
      setPending(false);
      if (result.type === 'failure') {
        await tick();
        const target = formElement.querySelector<HTMLElement>('[aria-invalid="true"], .form-message');
        target?.focus();
      }
    };
  };
}
