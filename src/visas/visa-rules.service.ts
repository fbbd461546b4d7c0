import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { AppConfig, projectPath } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import { parseVisaRules, VisaRules } from './visa-rules';

/** The issuing state's e-visa rules (data/states/<code>.visa.json), read and checked once at start. */
@Injectable()
export class VisaRulesService {
  readonly rules: VisaRules;

  constructor(config: AppConfig) {
    const path = projectPath('data', 'states', `${config.state.code.toLowerCase()}.visa.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Invalid configuration: the issuing state has no readable visa rules at ${path} (${(error as Error).message})`, { cause: error });
    }
    this.rules = parseVisaRules(raw, path);
  }

  /** Whether a refusal reason code exists in the rules. */
  isRejectionReason(code: string): boolean {
    return Object.hasOwn(this.rules.rejectionReasons, code);
  }

  /** A refusal reason's text in a language (English when the rules lack that language). */
  rejectionReasonText(code: string, language: string): string {
    const text = this.rules.rejectionReasons[code];
    return text ? inLanguage(text, language) : code;
  }
}
