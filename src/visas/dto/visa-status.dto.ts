import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { NormalisePassportNumber, UpperCase } from '../../registrations/dto/registration-validators';
import { ANY_PASSPORT_NUMBER_PATTERN } from '../../registrations/registration-rules';

/** A status check: the reference and the passport number of anyone on the application. */
export class VisaStatusQueryDto {
  @ApiProperty({ example: 'EV-7K3M9QX2' })
  @UpperCase()
  @IsString()
  @Matches(/^EV-[A-Z0-9]{8}$/, { message: 'reference must be an application reference such as EV-7K3M9QX2' })
  reference: string;

  @ApiProperty({ example: 'C01X00T47' })
  @NormalisePassportNumber()
  @IsString()
  @Matches(ANY_PASSPORT_NUMBER_PATTERN, { message: 'passportNumber must be 5 to 20 letters or digits' })
  passportNumber: string;
}
