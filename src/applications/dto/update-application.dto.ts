import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';
import { ID_TOKEN_ALGORITHMS, type IdTokenAlgorithm } from '../application.entity';
import { ID_TOKEN_ALGORITHM_PROPERTY } from './create-application.dto';

/** A partial update of an application: fields left out keep their value. */
export class UpdateApplicationDto {
  @ApiPropertyOptional(ID_TOKEN_ALGORITHM_PROPERTY)
  @Optional()
  @IsIn(ID_TOKEN_ALGORITHMS)
  id_token_signed_response_alg?: IdTokenAlgorithm;
}
